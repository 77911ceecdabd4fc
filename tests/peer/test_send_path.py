"""The answer to a message sent: only the list, each day named once, the words of the
dates as Flask-Babel writes them, and a tag the next poll finds unchanged."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.conftest import login, make_contact, make_peer_profile, make_user, post

HX = {"HX-Request": "true"}


def test_the_answer_is_the_list_with_each_day_once_and_the_next_poll_is_304(app):
    mira, _ = make_user(app, "mira")
    helle, _ = make_user(app, "helle", role="peer", approved=True)
    make_peer_profile(app, helle)
    contact = make_contact(app, mira, helle)
    with app.app_context():
        from accounts.models import User
        from extensions import db
        from peer import messages
        from peer.models import Contact, Message

        earlier = datetime.now(timezone.utc) - timedelta(days=3)
        for i in range(4):  # two on one day, two on another
            sent = messages.send(
                db.session, db.session.get(User, helle), db.session.get(Contact, contact), f"Earlier {i}"
            )
            sent.sent_at = earlier + timedelta(days=i // 2, minutes=i)
            db.session.add(db.session.get(Message, sent.id))
        db.session.commit()
    client = app.test_client()
    login(client, "mira")
    answer = post(client, f"/contacts/{contact}/messages", {"body": "Hello again"}, headers=HX)
    body = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "Hello again" in body
    assert "<main" not in body and 'id="write"' not in body  # the list alone
    assert body.count('class="day-separator"') == 3  # three days, each named once
    quiet = client.get(
        f"/contacts/{contact}/messages",
        headers={**HX, "X-Nara-Background": "1", "If-None-Match": answer.headers["ETag"]},
    )
    assert quiet.status_code == 304


@pytest.mark.parametrize("language", ["sv", "da", "en"])
def test_day_and_clock_are_the_words_flask_babel_writes(app, language):
    from flask_babel import format_date, format_time, refresh

    from core import dates

    moments = [datetime(2026, 3, 29, 0, 30, tzinfo=timezone.utc) + timedelta(hours=h * 7) for h in range(12)]
    with app.test_request_context(headers={"Accept-Language": language}):
        refresh()
        for moment in moments:
            assert dates.day_long(moment) == format_date(moment, dates.pattern("day_long"))
            assert dates.clock(moment) == format_time(moment, dates.pattern("clock"))
