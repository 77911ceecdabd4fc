"""Rows from the release before sealing: migrations 0012 and 0016 marked their values
"p1.<json>"; each is sealed at the next login of someone who holds its key, and
`flask privacy status` counts what still waits (never what it says)."""

from __future__ import annotations

from sqlalchemy.orm import attributes

from .sealing import PLAIN_PREFIX, SEALED_MODELS, _ToSeal, current_keyring


def _raw_plain(model: type):
    """Rows of `model` with at least one value still as the previous release left it."""
    from sqlalchemy import or_

    return or_(*(getattr(model, name).like(PLAIN_PREFIX + "%") for name in model.__sealed__))


def _rows_of(model: type, user_id: int):
    chooser = getattr(model, "__sealed_rows__", None)
    return chooser(user_id) if chooser is not None else model.user_id == user_id


def reseal_rows_of(session, user_id: int) -> int:
    """Seal every value still plain in rows this person's keys can seal (at their login).
    Rows whose key is not open yet (a conversation with someone who has not logged in
    since) wait for a later login. Answers how many rows were sealed."""
    from sqlmodel import select

    keyring = current_keyring()
    done = 0
    for model in SEALED_MODELS:
        rows = session.exec(select(model).where(_rows_of(model, user_id), _raw_plain(model))).all()
        for row in rows:
            wrapped = {name: key_for(row) for name, key_for in model.__sealed__.items()}
            if not all(key_id and keyring.has(key_id) for key_id in wrapped.values()):
                continue
            for name, key_id in wrapped.items():
                attributes.set_attribute(row, name, _ToSeal(getattr(row, name), key_id))
            session.add(row)
            done += 1
    if done:
        session.commit()
    return done


def unsealed_counts(session) -> dict[str, int]:
    """How many rows of each sealed table still hold a value from before sealing (never what)."""
    from sqlalchemy import func
    from sqlmodel import select

    return {
        model.__tablename__: session.exec(select(func.count()).select_from(model).where(_raw_plain(model))).one()
        for model in SEALED_MODELS
    }
