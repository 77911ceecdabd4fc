"""The extension objects, the database engine and session, and the one way to render a page.

Feature packages import from here; nothing here imports a feature package.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone

from flask import Response, current_app, g, render_template, request
from flask_babel import Babel
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session
from werkzeug.routing import IntegerConverter

babel = Babel()
csrf = CSRFProtect()
htmx = HTMX()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address)


class IdConverter(IntegerConverter):
    """`<id:name>` in a URL: a whole number a database key can hold, or else 404."""

    def __init__(self, url_map) -> None:
        super().__init__(url_map, min=1, max=2**31 - 1)


def utcnow() -> datetime:
    """The current time in UTC, the one form times are stored in (shown in the user's zone)."""
    return datetime.now(timezone.utc)


def commit_once(session: Session, find_earlier, flush_only: bool = False):
    """Commit a row that carries a form's one-time key. When another request with the same
    key committed first (a double tap, a retry at the same moment), the unique key refuses
    this one: roll back and give back the row saved first. None means this one was saved.
    `flush_only` writes the row without committing, for a caller that must know it is the
    first before it does more in the same transaction (telling people, say)."""
    try:
        session.flush() if flush_only else session.commit()
        return None
    except IntegrityError:
        session.rollback()
        earlier = find_earlier()
        if earlier is None:  # some other constraint said no
            raise
        return earlier


def upsert(session: Session, model, keys: dict, values: dict, on_insert: dict | None = None) -> None:
    """Insert a row, or update it when one with the same unique `keys` exists, in one
    statement (INSERT ... ON CONFLICT DO UPDATE on SQLite and PostgreSQL): two requests at
    the same moment can never both insert. `on_insert` holds what only a new row gets."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(model.__table__).values(**keys, **values, **(on_insert or {}))
    session.exec(statement.on_conflict_do_update(index_elements=list(keys), set_=values))


def fold(value):
    """Text compared without case, for every letter: SQLite's own lower() knows only A to Z,
    so "örebro" would never find "Örebro" there."""
    return value.casefold() if isinstance(value, str) else value


def contains_folded(session: Session, column, term: str):
    """A condition: `column` contains `term`, ignoring case (å, ä, ö, æ, ø included), on
    SQLite (through the nara_fold function every connection gets) and PostgreSQL (ILIKE)."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    if session.get_bind().dialect.name == "sqlite":
        from sqlalchemy import func

        return func.nara_fold(column).like(fold(pattern), escape="\\")
    return column.ilike(pattern, escape="\\")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    dbapi_connection.create_function("nara_fold", 1, fold, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=FULL")
    # Deleted rows are overwritten with zeros, not only marked free (some builds default to off).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


PRIVATE_FILE = 0o600


def _private_sqlite_file(url: str) -> None:
    """The database file, and its -wal and -shm, readable and writable by the owner only.

    A missing file is created empty with that mode before SQLite first opens it (an empty
    file is an empty database); SQLite gives the -wal and -shm it creates the mode of the
    database file. Files made before this rule are narrowed at start."""
    from sqlalchemy.engine import make_url

    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = os.path.abspath(database)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        pass
    else:
        os.close(fd)
    for name in (path, f"{path}-wal", f"{path}-shm", f"{path}-journal"):
        try:
            if os.stat(name).st_mode & 0o777 != PRIVATE_FILE:
                os.chmod(name, PRIVATE_FILE)
        except FileNotFoundError:
            continue


def make_engine(url: str) -> Engine:
    """An engine for SQLite (WAL, foreign keys, busy timeout, full sync, secure delete, files
    the owner's only) or PostgreSQL."""
    if url.startswith("sqlite"):
        _private_sqlite_file(url)
        # hide_parameters: an error's message never carries what a person wrote into the log.
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 5}, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10, hide_parameters=True)


class Database:
    """Holds the engine of the app and hands out one session per request."""

    def __init__(self) -> None:
        self.engine: Engine | None = None

    def init_app(self, app) -> None:
        self.engine = make_engine(app.config["DATABASE_URL"])
        app.extensions["nara_db"] = self
        app.teardown_appcontext(self._close)

    @staticmethod
    def _close(_exc) -> None:
        session = g.pop("_db_session", None)
        if session is not None:
            session.close()

    @property
    def session(self) -> Session:
        if "_db_session" not in g:
            g._db_session = Session(current_app.extensions["nara_db"].engine, expire_on_commit=False)
        return g._db_session


db = Database()


def render(template: str, fragment: str = "content", status: int = 200, **context) -> Response:
    """The Response of a full page, or of only its fragment block when htmx asks for it.

    Every view renders through here, so a page and its fragment can never drift apart;
    a view adds its headers to the Response it gets."""
    if htmx and not htmx.boosted:
        try:
            return Response(render_block(template, fragment, context), status=status)
        except KeyError:  # a page without that block (a standalone page) is sent whole
            pass
    return Response(render_template(template, **context), status=status)


def _parent_name(env, name: str) -> str | None:
    """The template a template extends, read from its `{% extends "..." %}`."""
    from jinja2 import nodes

    source = env.loader.get_source(env, name)[0]
    extends = next(env.parse(source).find_all(nodes.Extends), None)
    if extends is None or not isinstance(extends.template, nodes.Const):
        return None
    return extends.template.value


def render_block(template: str, block: str, context: dict) -> str:
    """Render one block of a template the way the whole page would: the block may be
    defined in a parent template, and blocks the children override still apply inside it."""
    env = current_app.jinja_env
    chain = [env.get_template(template)]
    while block not in chain[-1].blocks:
        parent = _parent_name(env, chain[-1].name)
        if parent is None:
            raise KeyError(block)
        chain.append(env.get_template(parent))
    owner = chain[-1]
    ctx = owner.new_context(_template_context(context))
    for child in chain[-2::-1]:  # from the owner's child down to the page itself
        for name, func in child.blocks.items():
            ctx.blocks.setdefault(name, []).insert(0, func)
    return "".join(owner.blocks[block](ctx))


def no_store(response: Response) -> Response:
    """A response no cache may keep (codes shown once, an invitation's code, the quick-exit
    page, an export)."""
    response.headers["Cache-Control"] = "no-store"
    return response


def not_modified(tag: str) -> Response | None:
    """304 with no body when the page already holds what `tag` names, else None.

    If-None-Match compares weakly (RFC 9110, 13.1.2): the compressed answer carries the tag
    as W/"...", the page sends that back, and it still names the same content."""
    if request.if_none_match.contains_weak(tag):
        return Response(status=304, headers={"ETag": f'"{tag}"'})
    return None


MACRO_TEMPLATE = "_macros.html"


def register_macros(app) -> None:
    """Make the macros of templates/_macros.html globals of every template, so a fragment
    rendered on its own (render() above) sees them exactly as the whole page does."""
    with app.app_context():
        module = app.jinja_env.get_template(MACRO_TEMPLATE).make_module()
    app.jinja_env.globals.update(
        {
            name: getattr(module, name)
            for name in dir(module)
            if not name.startswith("_") and callable(getattr(module, name))
        }
    )


def _template_context(context: dict) -> dict:
    ctx = dict(context)
    current_app.update_template_context(ctx)
    return ctx


MIGRATIONS_DIR = __import__("pathlib").Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine):
    """An Alembic configuration that runs the project's migrations on this engine."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade_schema(engine: Engine, revision: str = "head") -> None:
    """Bring the database to the newest schema. The schema is made only by migrations."""
    from alembic import command

    command.upgrade(alembic_config(engine), revision)
