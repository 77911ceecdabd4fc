"""A push subscription's endpoint is chosen by whoever is logged in, so the app only ever
POSTs to public https push services: checked when a device is added and before each send.
The JSON of /push/subscriptions is checked for shape and type: bad input is a 400 with a
message in the person's language, never a 500."""

import json

import pytest
from sqlmodel import select

from accounts.models import User
from extensions import db
from push import endpoints, service
from push.models import PushSubscription
from push.service import MAX_DEVICES, PushError
from tests.conftest import csrf_token, login, make_user, post

P256DH = "B" * 87  # 65 bytes, starting with 0x04 like an uncompressed P-256 point
AUTH = "A" * 22  # 16 bytes

INSIDE = [
    "http://127.0.0.1:6379/",
    "https://127.0.0.1/",
    "https://169.254.169.254/latest/meta-data/",
    "https://localhost/push",
    "https://localhost./push",
    "https://2130706433/push",  # 127.0.0.1 as one decimal number
    "https://0x7f000001/push",
    "https://0177.0.0.1/push",  # octal
    "https://127.1/push",
    "https://1.0xff/push",
    "https://[::1]/push",
    "https://[::ffff:127.0.0.1]/push",  # IPv4-mapped
    "https://[::ffff:a9fe:a9fe]/push",  # 169.254.169.254, mapped
    "https://[::7f00:1]/push",  # IPv4-compatible
    "https://[64:ff9b::a00:1]/push",  # NAT64 of 10.0.0.1
    "https://[2002:a00:1::]/push",  # 6to4 of 10.0.0.1
    "https://[fe80::1]/push",
    "https://[fe80::1%25eth0]/push",
    "https://[fd00::1]/push",  # unique local
    "https://[ff02::1]/push",
    "https://[::]/push",
    "https://0.0.0.0/push",
    "https://10.1.2.3/push",
    "https://172.16.0.1/push",
    "https://192.168.1.1/push",
    "https://100.64.0.1/push",  # CGNAT
    "https://224.0.0.1/push",
    "https://240.0.0.1/push",
    "https://255.255.255.255/push",
    "https://192.0.2.1/push",
]
MALFORMED = [
    "javascript:alert(1)",
    "ftp://push.example.com/x",
    "http://push.example.com/x",  # https only
    "https://push.example.com:8443/x",  # a push service listens on 443
    "https://user:pass@push.example.com/x",
    "https://push/x",  # a single label is no public name
    "https:///x",
    "https://push.example.com/x y",
    "https://push.example.com/\x00",
    "https://push.exämple.com/x",
    "https://push.example.com/" + "a" * 1000,
    "",
]


@pytest.mark.parametrize("endpoint", INSIDE + MALFORMED)
def test_inside_and_odd_endpoints_are_refused(endpoint, dns):
    dns["localhost"] = ["127.0.0.1"]
    with pytest.raises(endpoints.EndpointRefused):
        endpoints.check(endpoint)


def test_a_name_is_only_as_good_as_every_address_it_resolves_to(dns):
    assert endpoints.check("https://push.example.com/send/1").addresses == ("93.184.215.14",)
    assert endpoints.check("https://8.8.8.8/send/1").addresses == ("8.8.8.8",)
    assert endpoints.check("https://[2001:4860:4860::8888]/x").origin == "https://[2001:4860:4860::8888]"
    dns["mixed.example.com"] = ["93.184.215.14", "10.0.0.1"]
    dns["inside.example.com"] = ["169.254.169.254"]
    dns["mapped.example.com"] = ["::ffff:127.0.0.1"]
    for name in ("mixed", "inside", "mapped"):
        with pytest.raises(endpoints.EndpointRefused) as refused:
            endpoints.check(f"https://{name}.example.com/x")
        assert refused.value.reason == endpoints.NOT_PUBLIC
    with pytest.raises(endpoints.EndpointRefused) as refused:
        endpoints.check("https://unknown.example.com/x")
    assert refused.value.reason == endpoints.NOT_FOUND and refused.value.retry


def test_loopback_is_only_for_tests_and_local_development(dns):
    dns["localhost"] = ["127.0.0.1"]
    assert endpoints.check("http://127.0.0.1:6379/x", allow_loopback=True).port == 6379
    assert endpoints.check("http://localhost:8080/x", allow_loopback=True).addresses == ("127.0.0.1",)
    for still_refused in (
        "http://10.0.0.1/x",
        "http://169.254.169.254/x",
        "http://2130706433/x",
        "http://[::ffff:127.0.0.1]/x",
        "http://[fe80::1%25lo]/x",
    ):
        with pytest.raises(endpoints.EndpointRefused):
            endpoints.check(still_refused, allow_loopback=True)


def test_the_config_reads_push_allow_loopback_from_the_environment(monkeypatch, tmp_path):
    import config

    monkeypatch.delenv("PUSH_ALLOW_LOOPBACK", raising=False)
    assert config.load(tmp_path)["PUSH_ALLOW_LOOPBACK"] is False
    monkeypatch.setenv("PUSH_ALLOW_LOOPBACK", "1")
    assert config.load(tmp_path)["PUSH_ALLOW_LOOPBACK"] is True


@pytest.fixture
def mira(app):
    user_id, _ = make_user(app, "mira")
    with app.app_context():
        yield db.session, db.session.get(User, user_id)


def test_subscribing_checks_the_endpoint(app, mira, dns):
    session, user = mira
    app.config["PUSH_ALLOW_LOOPBACK"] = False
    for endpoint in (
        "http://127.0.0.1:6379/",
        "https://169.254.169.254/latest",
        "https://2130706433/x",
        "https://unknown.example.com/x",
    ):
        with pytest.raises(PushError):
            service.subscribe(session, user, endpoint, P256DH, AUTH)
        session.rollback()
    with pytest.raises(PushError):
        service.subscribe(session, user, "https://push.example.com/x", "not a key", AUTH)
    assert service.subscribe(session, user, "https://push.example.com/x", P256DH, AUTH).id


def test_at_most_ten_devices_and_the_same_endpoint_is_an_update(mira, dns):
    session, user = mira
    for index in range(MAX_DEVICES):
        service.subscribe(session, user, f"https://push.example.com/d{index}", P256DH, AUTH, f"phone {index}")
    with pytest.raises(PushError) as refused:
        service.subscribe(session, user, "https://push.example.com/eleventh", P256DH, AUTH)
    assert refused.value.code == "too_many_devices"
    session.rollback()
    again = service.subscribe(session, user, "https://push.example.com/d3", P256DH, "Q" * 22, "new name")
    assert again.auth == "Q" * 22 and again.device == "new name"
    assert len(session.exec(select(PushSubscription)).all()) == MAX_DEVICES


# -- over HTTP -------------------------------------------------------------------------

GOOD = {"endpoint": "https://push.example.com/send/abc", "keys": {"p256dh": P256DH, "auth": AUTH}, "device": "Linux"}


def _raw_post(client, body, content_type="application/json"):
    return client.post(
        "/push/subscriptions", data=body, content_type=content_type, headers={"X-CSRFToken": csrf_token(client)}
    )


def _with(**changes):
    data = json.loads(json.dumps(GOOD))
    for key, value in changes.items():
        if key in ("p256dh", "auth"):
            data["keys"][key] = value
        else:
            data[key] = value
    return json.dumps(data)


BAD_BODIES = {
    "a JSON string": '"https://push.example.com/x"',
    "a number too large": "1e999999",
    "a list": json.dumps([GOOD]),
    "null": "null",
    "not JSON": "{endpoint:",
    "not UTF-8": b"\xff\xfe{}",
    "deeply nested": "[" * 50_000 + "]" * 50_000,
    "deeply nested, but small": "[" * 2000 + "]" * 2000,  # under the size limit: the depth limit refuses it
    "deeply nested object": '{"a":' * 50_000 + "1" + "}" * 50_000,
    "nested in a field": _with(endpoint=None)[:-1] + ', "x": ' + "[" * 5000 + "]" * 5000 + "}",
    "endpoint a number": _with(endpoint=12),
    "endpoint a list": _with(endpoint=["https://push.example.com/x"]),
    "endpoint missing": json.dumps({"keys": GOOD["keys"]}),
    "endpoint too long": _with(endpoint="https://push.example.com/" + "a" * 1000),
    "NUL in the endpoint": _with(endpoint="https://push.example.com/a\u0000b"),
    "NUL in the device": _with(device="Lin\u0000ux"),
    "NUL in a key": _with(auth="A" * 10 + "\u0000" + "A" * 11),
    "device a number": _with(device=5),
    "device too long": _with(device="x" * 81),
    "keys a string": _with(keys="p256dh"),
    "p256dh a number": _with(p256dh=4),
    "p256dh not base64url": _with(p256dh="B" * 86 + "+"),
    "p256dh too short": _with(p256dh="B" * 20),
    "p256dh huge": _with(p256dh="B" * 100_000),
    "auth too long": _with(auth="A" * 200),
    "an inside address": _with(endpoint="http://127.0.0.1:6379/"),
    "metadata service": _with(endpoint="https://169.254.169.254/latest/meta-data/"),
    "a decimal address": _with(endpoint="https://2130706433:443/"),
}


@pytest.mark.parametrize("name", BAD_BODIES)
def test_bad_subscription_bodies_get_a_400_with_words_never_a_500(app, client, dns, name):
    app.config["PUSH_ALLOW_LOOPBACK"] = False
    make_user(app, "mira")
    login(client, "mira")
    response = _raw_post(client, BAD_BODIES[name])
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    assert response.is_json and response.json["ok"] is False and response.json["message"]
    with app.app_context():
        assert db.session.exec(select(PushSubscription)).all() == []


def test_the_message_is_in_the_persons_language(app, client, dns):
    make_user(app, "mira")
    login(client, "mira")
    post(client, "/language", {"locale": "sv"})  # the account's own language
    swedish = _raw_post(client, "1e999999").json["message"]
    post(client, "/language", {"locale": "en"})
    english = _raw_post(client, "1e999999").json["message"]
    assert english == "This device could not be turned on. Please try again." and swedish != english


def test_an_eleventh_device_gets_a_clear_message(app, client, dns):
    make_user(app, "mira")
    login(client, "mira")
    for index in range(MAX_DEVICES):
        assert _raw_post(client, _with(endpoint=f"https://push.example.com/d{index}")).status_code == 201
    assert _raw_post(client, _with(endpoint="https://push.example.com/d0")).status_code == 201  # an update
    eleventh = _raw_post(client, _with(endpoint="https://push.example.com/d10"))
    assert eleventh.status_code == 400 and f"at most {MAX_DEVICES} devices" in eleventh.json["message"]


def test_a_good_subscription_is_taken(app, client, dns):
    app.config["PUSH_ALLOW_LOOPBACK"] = False
    make_user(app, "mira")
    login(client, "mira")
    with_expiry = json.loads(_with())
    with_expiry["expirationTime"] = None  # what PushSubscription.toJSON() also gives
    assert _raw_post(client, json.dumps(with_expiry)).status_code == 201
    with app.app_context():
        (row,) = db.session.exec(select(PushSubscription)).all()
        assert (row.endpoint, row.device) == (GOOD["endpoint"], "Linux")


def test_turning_on_a_device_never_hangs_on_dns(app, monkeypatch):
    import threading

    from push import endpoints

    release = threading.Event()

    def stuck(host, port):
        release.wait(10)
        raise OSError("never answered")

    monkeypatch.setattr(endpoints, "resolve", stuck)
    try:
        with pytest.raises(OSError):
            endpoints.resolve_in_time("push.example.org", 443, seconds=0.2)
    finally:
        release.set()
