"""Pages for practitioners: home, search, a practice, compare, methodology."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, abort, g, render_template, request, url_for
from flask_babel import get_locale, gettext
from flask_babel import gettext as _

from kb import guidelines, queries, vocab
from search.filters import FILTERS, FILTERS_BY_NAME
from web import rendering
from web.community_state import get_community
from web.lessons import for_display
from web.params import run_search
from web.state import absolute_url, get_db, get_engine, or_404

bp = Blueprint("pages", __name__)
MAX_COMPARE = 3
BROWSE_THEMES = ("youth-violence", "women-safety", "public-space", "community-policing", "local-safety-governance")


def _current(args) -> dict[str, list[str]]:
    """The request's parameters as lists, read once per request (a results page links ~100 variants)."""
    if g.get("kb_args_source") is not args:
        g.kb_args_source, g.kb_args = args, {k: args.getlist(k) for k in args if k != "page"}
    return g.kb_args


def search_url(args, **changes) -> str:
    """The search URL with some parameters changed; a list value replaces, None removes. Page resets."""
    merged = dict(_current(args))
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value if isinstance(value, list) else [value]
    return url_for("pages.search") + ("?" + urlencode(merged, doseq=True) if merged else "")


def toggle_filter(args, name: str, value: str) -> str:
    current = _current(args).get(name, [])
    updated = [v for v in current if v != value] if value in current else current + [value]
    return search_url(args, **{name: updated or None})


def clear_filters_url(args) -> str:
    return search_url(args, **{f.name: None for f in FILTERS})


def filter_label(name: str) -> str:
    spec = FILTERS_BY_NAME.get(name)
    return gettext(spec.label) if spec else name


@bp.app_template_filter("matched_label")
def matched_label(how: str) -> str:
    return {"words": gettext("words"), "meaning": gettext("meaning")}.get(how, how)


@bp.app_context_processor
def helpers():
    return {
        "search_url": search_url,
        "toggle_filter": toggle_filter,
        "clear_filters_url": clear_filters_url,
        "filter_label": filter_label,
    }


@bp.route("/")
def home():
    db = get_db()
    regions, ratings = queries.counts_by(db, "region"), queries.counts_by(db, "rating")
    themes = sorted(queries.term_counts(db, "theme").items(), key=lambda kv: -kv[1])[:12]
    return render_template(
        "home.html",
        practice_count=db["practices"].count,
        city_count=db["cities"].count,
        regions=[(t.id, t.label, regions.get(t.id, 0)) for t in vocab.REGIONS.values()],
        ratings=[(t.id, t.label, ratings.get(t.id, 0)) for t in vocab.EVIDENCE_RATINGS.values()],
        themes=[(t, vocab.THEMES[t].label, n) for t, n in themes],
        built_at=queries.meta(db).get("built_at"),
    )


@bp.route("/search")
def search():
    params, result = run_search(request.args, get_engine())
    if params["page"] > result.pages and result.total:
        abort(
            404,
            description=_(
                "page %(page)s does not exist: there are %(pages)s pages of results",
                page=params["page"],
                pages=result.pages,
            ),
        )
    active = [
        (f.name, value)
        for f in FILTERS
        for value in request.args.getlist(f.name)
        for value in value.split(",")
        if value
    ]
    # hits carry the entry's own title; the reader sees it in their language when the entry has it
    shown = queries.practices(get_db(), [hit.id for hit in result.hits])
    hit_titles = {p["id"]: rendering.localized(p, "title") for p in shown}
    return render_template(
        "search.html",
        result=result,
        hit_titles=hit_titles,
        params=params,
        active=active,
        args=request.args,
        doc=guidelines.load(),
        browse_themes=BROWSE_THEMES,
    )


@bp.route("/practices/<practice_id>")
def practice(practice_id):
    db = get_db()
    engine = get_engine()
    item = or_404(
        queries.practice(db, practice_id), _("There is no practice with the id '%(id)s'.", id=practice_id[:80])
    )
    doc = guidelines.load()
    refs = [doc[r] for r in item["guideline_refs"] if r in doc]
    similar = queries.practices(db, [pid for pid, _ in engine.more_like_this(practice_id, k=5)])
    url = absolute_url(url_for("pages.practice", practice_id=practice_id))
    lessons = for_display(get_community().lessons.published(practice_id=practice_id))
    return render_template(
        "practice.html",
        p=item,
        t=rendering.translated(item, str(get_locale())),
        refs=refs,
        doc=doc,
        similar=similar,
        registries_differ=any(
            r["rating"].lower() != rendering.rating_label(item["rating"]).lower() for r in item["registries"]
        ),
        lineage=queries.lineage(db, practice_id),
        lessons=lessons,
        adaptations=queries.adaptations(db, practice_id),
        related=queries.practices(db, item["related"]),
        cite_text=rendering.citation_text(item, url),
        cite_bibtex=rendering.citation_bibtex(item, url),
        source_bibtex=[rendering.source_bibtex(practice_id, i, s) for i, s in enumerate(item["sources"])],
        sections=[(h, item["sections"].get(h)) for h in vocab.BODY_SECTIONS if item["sections"].get(h)],
    )


@bp.route("/compare")
def compare():
    db = get_db()
    raw = request.args.get("ids", "")
    ids = [i.strip() for i in raw.split(",") if i.strip()] + [
        p.strip().split(" ")[0] for p in request.args.getlist("pick") if p.strip()
    ]
    ids = list(dict.fromkeys(ids))[:50]
    found = [queries.practice(db, i) for i in ids]
    if len(ids) > MAX_COMPARE:  # keep every tick and let the reader choose which to keep
        return render_template("compare_choose.html", items=[p for p in found if p], limit=MAX_COMPARE), 400
    missing = [i for i, p in zip(ids, found, strict=True) if p is None]
    if missing:
        abort(404, description=_("ids: no practice with the id %(ids)s", ids=", ".join(repr(m[:60]) for m in missing)))
    lessons = {i: get_community().lessons.published(practice_id=i)[:1] for i in ids}
    return render_template("compare.html", items=found, ids=ids, lessons=lessons, all_practices=queries.practices(db))


@bp.route("/methodology")
def methodology():
    from kb.schema import DESIGNS_FOR_RATING

    return render_template(
        "methodology.html", model=get_engine().model_description, designs_for_rating=DESIGNS_FOR_RATING
    )
