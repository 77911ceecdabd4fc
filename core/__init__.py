"""The shared core every package stands on: the shell of every request (security headers,
error pages, compression and content-hashed assets, form bodies only), the form base and
shared fields, and starting and ending a session. It holds no page of its own."""


def init_app(app) -> None:
    from . import dates, web

    web.init_app(app)
    dates.init_app(app)
