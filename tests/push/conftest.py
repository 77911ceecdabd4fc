import pytest

from tests.push.pushservice import PushService


@pytest.fixture
def push_service(app):
    service = PushService(open(app.config["VAPID_PUBLIC_KEY_FILE"]).read().strip())
    yield service
    service.close()


@pytest.fixture
def sender(app):
    from push.sender import Sender

    return Sender(app.config["VAPID_PRIVATE_KEY_FILE"], "mailto:test@nara.invalid", timeout=1)
