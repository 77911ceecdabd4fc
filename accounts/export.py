"""The account's own part of "export my data": the account, its recovery codes (never their
hashes or what they wrap), and its keys named (never the keys themselves)."""

from __future__ import annotations

from sqlmodel import Session, select

from .exporting import row_dict
from .models import RecoveryCode, SessionKey, User, UserKey


def export_account(session: Session, user: User) -> dict:
    codes = session.exec(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all()
    account = row_dict(user, leave_out=("password_hash", "session_token", "handle_key"))
    account["password"] = "stored only as a one-way argon2id hash"
    user_key = session.get(UserKey, user.id)
    sessions = session.exec(select(SessionKey).where(SessionKey.user_id == user.id)).all()
    return {
        "account": account,
        "recovery_codes": [row_dict(code, leave_out=("code_hash", "wrapped_key", "kdf")) for code in codes],
        "keys": {
            "data_key": "random, stored only sealed by your password and by each unused recovery code",
            "user_id": user.id,
            "public_key": user_key.public_key if user_key else None,
            "created_at": user_key.created_at.isoformat() if user_key else None,
        },
        "sessions_logged_in": [
            {"id": row.id, "user_id": row.user_id, "started_at": row.created_at.isoformat()} for row in sessions
        ],
    }


EXPORT_TABLES = ("user", "recovery_code", "user_key", "session_key")
