"""An author's private status page: pending, published (with its link) or not published (with the reason)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_babel import gettext as _

from web.community_state import get_community

bp = Blueprint("status", __name__, url_prefix="/status")


@bp.route("/<token>")
def show(token):
    community = get_community()
    if len(token) > 64:
        abort(404, description=_("There is no contribution at this address."))
    lesson = community.lessons.by_token(token)
    submission = None if lesson else community.submissions.by_token(token)
    item = lesson or submission
    if item is None:
        abort(404, description=_("There is no contribution at this address."))
    return (
        render_template("status.html", kind="lesson" if lesson else "submission", item=item),
        200,
        {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"},
    )
