"""The guidelines, every section at its own address, with the practices that apply it."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import gettext as _

from kb import guidelines, queries
from web.state import get_db, get_engine, or_404

bp = Blueprint("guidelines", __name__, url_prefix="/guidelines")
# Evaluations found these made things worse or changed nothing: listed apart, as cautionary examples.
CAUTIONARY = {"harmful", "no-effect"}


@bp.route("/")
def index():
    doc = guidelines.load()
    counts = get_engine().guideline_counts
    return render_template("guidelines.html", doc=doc, counts=counts, citation=guidelines.SOURCE_CITATION)


@bp.route("/<path:section_id>")
def section(section_id):
    doc = guidelines.load()
    item = or_404(
        doc.sections.get(section_id),
        _("There is no guideline section '%(id)s'.", id=section_id[:80])
        + (f" Did you mean {', '.join(doc.suggest(section_id))}?" if doc.suggest(section_id) else ""),
    )
    db = get_db()
    counts = get_engine().guideline_counts
    direct = queries.practices(db, counts[section_id]["direct"])
    applying = [p for p in direct if p["rating"] not in CAUTIONARY]
    cautionary = [p for p in direct if p["rating"] in CAUTIONARY]
    below = [p for p in queries.practices(db, counts[section_id]["all"]) if p["id"] not in counts[section_id]["direct"]]
    order = doc.in_order()
    position = order.index(item)
    return render_template(
        "guideline_section.html",
        doc=doc,
        s=item,
        ancestors=doc.ancestors(section_id),
        applying=applying,
        cautionary=cautionary,
        below=below,
        counts=counts,
        previous=order[position - 1] if position else None,
        next=order[position + 1] if position + 1 < len(order) else None,
        footnotes={n: doc.footnotes[n] for n in item.footnotes if n in doc.footnotes},
    )
