"""The HTML pages."""

from __future__ import annotations

from flask import Blueprint, render_template

from web.db import get_db

bp = Blueprint("pages", __name__)


@bp.route("/")
def home():
    db = get_db()
    regions = list(db.query("select region, count(*) as n from practices group by region order by region"))
    return render_template("home.html", practice_count=db["practices"].count, regions=regions)
