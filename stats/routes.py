"""Views of the service's figures: the coordinator's page and its CSV export. Both answer
`no-store`: the figures are the organisation's private business."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app

from accounts.permissions import COORDINATOR, roles_required
from extensions import db, no_store, render, utcnow

from . import service
from .charts import chart_of
from .measures import KINDS, csv_text, page_of, text_of, week_name

bp = Blueprint("stats", __name__)
coordinator_only = roles_required(COORDINATOR)


def _page():
    """The figures of the last weeks in the service's own time zone (not the reader's: one
    week means the same days to every coordinator)."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return page_of(service.figures(db.session, utcnow(), zone))


@bp.get("/coordinator/service")
@coordinator_only
def service_page():
    page = _page()
    charts = [chart_of(measure) for measure in page.measures]
    return no_store(
        render("stats/service.html", page=page, charts=charts, kinds=KINDS, text_of=text_of, week_name=week_name)
    )


@bp.get("/coordinator/service.csv")
@coordinator_only
def service_csv():
    return no_store(
        Response(
            csv_text(_page()).encode("utf-8"),
            mimetype="text/csv",
            headers={"Content-Disposition": 'attachment; filename="nara-service.csv"'},
        )
    )
