import pytest

from tests.push.pushservice import PushService

PUBLIC_ADDRESS = "93.184.215.14"  # a public address; nothing in these tests connects to it


@pytest.fixture
def app(app):
    """The push tests talk to a push service on loopback, which only PUSH_ALLOW_LOOPBACK
    permits (never set in production). Tests about refusing loopback turn it off again."""
    app.config["PUSH_ALLOW_LOOPBACK"] = True
    return app


@pytest.fixture
def push_service(app):
    service = PushService(open(app.config["VAPID_PUBLIC_KEY_FILE"]).read().strip())
    yield service
    service.close()


@pytest.fixture
def sender(app):
    from push.sender import Sender

    return Sender(app.config["VAPID_PRIVATE_KEY_FILE"], "mailto:test@nara.invalid", timeout=1, allow_loopback=True)


@pytest.fixture
def dns(monkeypatch):
    """A DNS of the test's own: names in the table resolve to its addresses, and the real
    resolver is never asked (this machine may have no network)."""
    from push import endpoints

    table = {"push.example": [PUBLIC_ADDRESS], "push.example.com": [PUBLIC_ADDRESS]}

    def resolve(host, port):
        if host not in table:
            raise OSError("name not found")
        return list(table[host])

    monkeypatch.setattr(endpoints, "resolve", resolve)
    return table
