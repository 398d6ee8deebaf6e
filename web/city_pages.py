"""City-to-city learning: cities by region, a city's practices, its peer cities."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext

from kb import country_income, queries, vocab
from web import geo
from web.community_state import get_community
from web.lessons import for_display
from web.state import get_db, get_engine, or_404

bp = Blueprint("cities", __name__, url_prefix="/cities")

INCOME_LABELS = {
    "low": lazy_gettext("Low income"),
    "lower-middle": lazy_gettext("Lower-middle income"),
    "upper-middle": lazy_gettext("Upper-middle income"),
    "high": lazy_gettext("High income"),
}


@bp.route("/")
def index():
    db = get_db()
    rows = queries.cities(db)
    by_region = {r: [c for c in rows if c["region"] == r] for r in vocab.REGIONS}
    pins = [
        {**c, "x": geo.project(c["lat"], c["lon"])[0], "y": geo.project(c["lat"], c["lon"])[1]}
        for c in rows
        if c["lat"] is not None
    ]
    return render_template(
        "cities.html", by_region=by_region, pins=pins, land=geo.land_path(), width=geo.WIDTH, height=geo.HEIGHT
    )


@bp.route("/<slug>")
def city(slug):
    db = get_db()
    item = or_404(queries.city(db, slug), _("There is no city '%(slug)s' in the inventory.", slug=slug[:80]))
    peers = get_engine().peer_cities(slug, k=5)
    peer_rows = {c["slug"]: c for c in queries.cities(db)}
    x, y = geo.project(item["lat"], item["lon"]) if item["lat"] is not None else (None, None)
    practices = queries.city_practices(db, slug)
    city_themes = list(dict.fromkeys(t for p in practices for t in p["themes"]))
    city_ratings = list(dict.fromkeys(p["rating"] for p in practices))
    incomes = country_income.bundled()
    income = incomes.of(item["country_code"])
    return render_template(
        "city.html",
        c=item,
        practices=practices,
        city_themes=city_themes,
        city_ratings=city_ratings,
        income_label=INCOME_LABELS.get(income),
        income_source=incomes.source,
        peers=[
            {
                **peer_rows[p["slug"]],
                **p,
                "same_income": income is not None and incomes.of(peer_rows[p["slug"]]["country_code"]) == income,
            }
            for p in peers
            if p["slug"] in peer_rows
        ],
        land=geo.land_path(),
        x=x,
        y=y,
        width=geo.WIDTH,
        height=geo.HEIGHT,
        lessons=for_display(get_community().lessons.published(city_slug=slug)),
    )
