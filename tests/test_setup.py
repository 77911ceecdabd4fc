"""What `make run` relies on: instance secrets made once and kept, migrations that can run
again, and the server commands for coordinators and peer approval."""

import stat

from sqlmodel import select

import config
from accounts.models import User
from extensions import db, make_engine, upgrade_schema
from tests.conftest import PASSWORD, make_user


def test_instance_secrets_are_made_once_private_and_kept(tmp_path):
    config.ensure_instance(tmp_path)
    files = {name: (tmp_path / name).read_bytes() for name in ("secret_key", "vapid_private.pem", "vapid_public.txt")}
    assert all(files.values())
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "vapid_private.pem").stat().st_mode) == 0o600
    config.ensure_instance(tmp_path)
    assert files == {name: (tmp_path / name).read_bytes() for name in files}
    assert len(files["vapid_public.txt"].strip()) == 87  # 65-byte P-256 point, base64url


def test_environment_overrides_the_generated_secret(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@db/nara")
    loaded = config.load(tmp_path)
    assert loaded["SECRET_KEY"] == "from-the-environment"
    assert loaded["DATABASE_URL"] == "postgresql+psycopg://u:p@db/nara"


def test_migrations_can_run_again(database_url):
    engine = make_engine(database_url)
    upgrade_schema(engine)
    upgrade_schema(engine)
    engine.dispose()


def test_create_coordinator_and_approve_peer_commands(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create-coordinator", "coord"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("-") >= 24  # eight codes are printed once
    make_user(app, "helper", role="peer")
    assert runner.invoke(args=["users", "approve-peer", "helper"]).exit_code == 0
    refused = runner.invoke(args=["users", "approve-peer", "nobody"])
    assert refused.exit_code != 0
    with app.app_context():
        roles = {u.handle: (u.role, u.peer_approved_at is not None) for u in db.session.exec(select(User))}
    assert roles == {"coord": ("coordinator", False), "helper": ("peer", True)}


def test_weak_coordinator_password_is_refused(app):
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    result = app.test_cli_runner().invoke(args=["users", "create-coordinator", "coord"], input="short\nshort\n")
    assert result.exit_code != 0
    assert "10 characters" in result.output
