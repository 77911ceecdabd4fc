"""The app shell: service worker, manifest, offline page, this phone's choices."""


def init_app(app) -> None:
    from .routes import bp

    app.register_blueprint(bp)
