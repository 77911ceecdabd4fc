"""Account rules on a real database (SQLite and PostgreSQL)."""

import pytest
from sqlmodel import select

from accounts import service
from accounts.exporting import export_user
from accounts.models import RecoveryCode, User
from accounts.service import AccountError
from tests.conftest import PASSWORD

NEW_PASSWORD = "quiet harbour after rain"


def test_sign_up_keeps_only_a_handle_and_a_hashed_password(session):
    user, codes = service.sign_up(session, "Mira", PASSWORD)
    assert user.role == "client"
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
    assert len(codes) == 8 and len(set(codes)) == 8
    stored = session.exec(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all()
    assert len(stored) == 8
    assert not {c.code_hash for c in stored} & set(codes)


def test_handles_are_unique_whatever_the_case(session):
    service.sign_up(session, "Mira", PASSWORD)
    with pytest.raises(AccountError) as error:
        service.sign_up(session, "mIRA", PASSWORD)
    assert error.value.code == "handle_taken"


@pytest.mark.parametrize(
    "handle, code",
    [
        ("ab", "handle_too_short"),
        ("x" * 33, "handle_too_long"),
        ("070 123 45 67", "handle_phone"),
        ("mira@example.org", "handle_chars"),
        ("<script>", "handle_chars"),
        ("_mira", "handle_chars"),
    ],
)
def test_handles_that_would_not_work_are_explained(session, handle, code):
    with pytest.raises(AccountError) as error:
        service.sign_up(session, handle, PASSWORD)
    assert error.value.code == code


def test_unicode_handles_work_and_are_folded(session):
    user, _ = service.sign_up(session, "Åsa-Lövgren", PASSWORD)
    assert service.authenticate(session, "åsa-lövgren", PASSWORD).id == user.id


def test_public_sign_up_cannot_make_a_coordinator(session):
    with pytest.raises(AccountError):
        service.sign_up(session, "boss", PASSWORD, role="coordinator")


def test_authenticate(session):
    user, _ = service.sign_up(session, "mira", PASSWORD)
    assert service.authenticate(session, "mira", PASSWORD).id == user.id
    assert service.authenticate(session, "mira", "wrong password here") is None
    assert service.authenticate(session, "nobody", PASSWORD) is None
    assert service.authenticate(session, "", PASSWORD) is None


def test_changing_the_password_ends_every_session(session):
    from accounts import keys

    user, _ = service.sign_up(session, "mira", PASSWORD)
    old_session = user.get_id()
    data_key = keys.open_with_password(session, user.id, PASSWORD)
    carried = keys.start_session_key(session, user.id, data_key)
    session.commit()
    assert service.load_session_user(session, old_session, carried).id == user.id
    assert service.load_session_user(session, old_session, None) is None  # a session without its key is none
    with pytest.raises(AccountError):
        service.change_password(session, user, "not my password", NEW_PASSWORD)
    service.change_password(session, user, PASSWORD, NEW_PASSWORD)
    assert service.load_session_user(session, old_session, carried) is None
    assert keys.open_session_key(session, user.id, carried) is None  # its copy of the key is gone
    assert service.authenticate(session, "mira", NEW_PASSWORD) is not None
    assert service.authenticate(session, "mira", PASSWORD) is None


def test_a_recovery_code_resets_the_password_once(session):
    user, codes = service.sign_up(session, "mira", PASSWORD)
    service.reset_with_code(session, "MIRA", codes[3], NEW_PASSWORD)
    assert service.authenticate(session, "mira", NEW_PASSWORD) is not None
    assert service.codes_left(session, user) == 7
    with pytest.raises(AccountError) as error:
        service.reset_with_code(session, "mira", codes[3], "another fine long phrase")
    assert error.value.code == "bad_recovery"


def test_a_weak_new_password_does_not_spend_the_code(session):
    user, codes = service.sign_up(session, "mira", PASSWORD)
    with pytest.raises(AccountError) as error:
        service.reset_with_code(session, "mira", codes[0], "short")
    assert error.value.field == "new_password"
    session.rollback()
    assert service.codes_left(session, user) == 8


def test_someone_elses_code_does_not_open_my_account(session):
    service.sign_up(session, "mira", PASSWORD)
    _, other_codes = service.sign_up(session, "noor", PASSWORD)
    with pytest.raises(AccountError):
        service.reset_with_code(session, "mira", other_codes[0], NEW_PASSWORD)


def test_new_codes_replace_the_old_ones(session):
    user, old = service.sign_up(session, "mira", PASSWORD)
    new = service.regenerate_codes(session, user, PASSWORD)
    assert not set(new) & set(old)
    with pytest.raises(AccountError):
        service.reset_with_code(session, "mira", old[0], NEW_PASSWORD)
    service.reset_with_code(session, "mira", new[0], NEW_PASSWORD)


def test_preferences_accept_only_known_values(session):
    user, _ = service.sign_up(session, "mira", PASSWORD)
    service.update_preferences(session, user, "da", "Europe/Copenhagen")
    assert (user.locale, user.time_zone) == ("da", "Europe/Copenhagen")
    for locale, zone in (("de", "Europe/Copenhagen"), ("sv", "Mars/Olympus"), ("sv", "")):
        with pytest.raises(AccountError):
            service.update_preferences(session, user, locale, zone)


def test_deleting_an_account_removes_every_row_of_it(session):
    user, _ = service.sign_up(session, "mira", PASSWORD)
    other, _ = service.sign_up(session, "noor", PASSWORD)
    with pytest.raises(AccountError):
        service.delete_account(session, user, "wrong password here")
    service.delete_account(session, user, PASSWORD)
    assert session.exec(select(User).where(User.handle_key == "mira")).first() is None
    assert session.exec(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all() == []
    assert len(session.exec(select(RecoveryCode).where(RecoveryCode.user_id == other.id)).all()) == 8
    assert service.authenticate(session, "mira", PASSWORD) is None


def test_export_holds_the_account_but_no_secret(session):
    user, codes = service.sign_up(session, "mira", PASSWORD)
    data = export_user(session, user)
    assert data["accounts"]["account"]["handle"] == "mira"
    assert len(data["accounts"]["recovery_codes"]) == 8
    text = str(data)
    assert user.password_hash not in text and user.session_token not in text
    assert not any(code in text for code in codes)


def test_approving_a_peer(session):
    peer, _ = service.sign_up(session, "helper", PASSWORD, role="peer")
    client, _ = service.sign_up(session, "mira", PASSWORD)
    assert [p.id for p in service.peers_waiting(session)] == [peer.id]
    service.approve_peer(session, "HELPER")
    assert service.peers_waiting(session) == []
    with pytest.raises(AccountError):
        service.approve_peer(session, "mira")
    with pytest.raises(AccountError):
        service.approve_peer(session, "nobody")


def test_coordinator_is_made_by_command_only(session):
    user, _ = service.create_coordinator(session, "coord", PASSWORD)
    assert user.role == "coordinator"


def test_a_name_that_grows_when_folded_is_refused_kindly(session):
    with pytest.raises(AccountError) as error:
        service.sign_up(session, "ΐ" * 32, PASSWORD)
    assert error.value.code == "handle_too_long"


def test_two_sign_ups_for_one_name_at_the_same_moment(session, monkeypatch):
    service.sign_up(session, "mira", PASSWORD)
    monkeypatch.setattr(service, "find_by_handle", lambda *_: None)  # the check ran before the other insert
    with pytest.raises(AccountError) as error:
        service.sign_up(session, "Mira", PASSWORD)
    assert error.value.code == "handle_taken"
