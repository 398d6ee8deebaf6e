"""Curators review what peers submit: log in, work through the queue, edit, approve, reject, unpublish.

Curator sessions live in the community store: logging out (or a password change) ends them
everywhere, and a copy of an old cookie opens nothing. Failed logins are throttled per account
and per client, and an unknown name costs as much to check as a wrong password.
"""

from __future__ import annotations

import difflib
import functools

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from kb import guidelines, loader
from web import notify, proposals
from web.community_state import client_id, get_community
from web.forms import Form
from web.publishing import PublishError, approve_submission, unpublish_practice
from web.safety import same_site_path
from web.state import settings

bp = Blueprint("curator", __name__, url_prefix="/curator")
QUEUE_KINDS = ("all", "lessons", "submissions")
AGES = {"": None, "7": 7, "30": 30}


def signed_in_curator() -> str | None:
    if "curator" not in g:
        g.curator = get_community().curators.session_curator(session.get("curator_session"))
    return g.curator


def curator_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if not signed_in_curator():
            session.pop("curator_session", None)
            if request.method == "GET":
                return redirect(url_for("curator.login", next=request.path))
            abort(403, description=_("Log in as a curator first."))
        return view(*args, **kwargs)

    return wrapped


@bp.app_context_processor
def curator_context():
    return {"signed_in_curator": signed_in_curator}


def _throttled(community, name: str) -> bool:
    window, limit = settings().login_window_seconds, settings().login_limit
    return (
        community.limits.count("login-account", name, window) >= limit
        or community.limits.count("login-client", client_id(), window) >= limit
    )


@bp.route("/login", methods=["GET", "POST"])
def login():
    error, status = None, 200
    if request.method == "POST":
        community = get_community()
        name = request.form.get("name", "").strip()[:120]
        password = request.form.get("password", "")[:1000]
        if _throttled(community, name):
            error, status = _("Too many failed attempts. Wait a few minutes, then try again."), 429
        elif community.curators.check(name, password):
            community.limits.clear("login-account", name)
            session.clear()
            session["curator_session"] = community.curators.start_session(name)
            return redirect(same_site_path(request.args.get("next", ""), prefix="/curator") or url_for("curator.queue"))
        else:
            community.limits.record("login-account", name)
            community.limits.record("login-client", client_id())
            error, status = _("Unknown name or wrong password."), 401
    response = render_template("curator_login.html", error=error, name=request.form.get("name", "")[:120])
    return response, status, ({"Retry-After": str(settings().login_window_seconds)} if status == 429 else {})


@bp.route("/logout", methods=["POST"])
def logout():
    get_community().curators.end_session(session.pop("curator_session", None))
    return redirect(url_for("pages.home"))


def _page() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 10_000 else 1


@bp.route("/")
@curator_required
def queue():
    community = get_community()
    kind = request.args.get("kind", "all") if request.args.get("kind", "all") in QUEUE_KINDS else "all"
    age = AGES.get(request.args.get("age", ""), None)
    page = _page()
    lessons = community.lessons.list("pending", older_than_days=age, page=page) if kind != "submissions" else []
    submissions = community.submissions.list("pending", older_than_days=age, page=page) if kind != "lessons" else []
    counts = {
        "lessons": community.lessons.count("pending", age),
        "submissions": community.submissions.count("pending", age),
    }
    pages = max(
        1,
        -(
            -max(counts["lessons"] if kind != "submissions" else 0, counts["submissions"] if kind != "lessons" else 0)
            // 20
        ),
    )
    return render_template(
        "curator_queue.html",
        lessons=lessons,
        submissions=submissions,
        counts=counts,
        kind=kind,
        age=request.args.get("age", ""),
        page=page,
        pages=pages,
        decisions=community.recent_decisions(20),
    )


def _submission_or_404(number: int) -> dict:
    item = get_community().submissions.get(number)
    if item is None:
        abort(404, description=_("There is no submission %(number)s.", number=number))
    return item


@bp.route("/submissions/<int:number>")
@curator_required
def submission(number):
    item = _submission_or_404(number)
    practice, problems = loader.parse_text(
        item["document"], f"{item['practice_id']}.md", set(guidelines.load().sections)
    )
    diff = ""
    if item.get("original_document"):
        diff = "\n".join(
            difflib.unified_diff(
                item["original_document"].splitlines(),
                item["document"].splitlines(),
                "as submitted",
                "as edited",
                lineterm="",
            )
        )
    return render_template(
        "curator_submission.html",
        s=item,
        practice=practice,
        problems=problems,
        diff=diff,
        decisions=get_community().submissions.decisions(number),
    )


@bp.route("/submissions/<int:number>/edit", methods=["GET", "POST"])
@curator_required
def edit_submission(number):
    item = _submission_or_404(number)
    if item["status"] != "pending":
        abort(409, description=_("Only pending submissions can be edited."))
    if request.method == "GET":
        return proposals.render_form(
            proposals.values_from_document(item["document"]),
            {},
            action=url_for("curator.edit_submission", number=number),
            editing=item,
        )
    form, meta, document = proposals.read_and_check(
        request.form, exclude_id=item["practice_id"], kept=proposals.meta_of(item["document"])
    )
    if not form.ok:
        return proposals.render_form(
            form.values, form.errors, action=url_for("curator.edit_submission", number=number), editing=item
        ), 422
    get_community().submissions.edit(number, meta["id"], document, signed_in_curator())
    flash(_("Your changes to submission %(number)s are saved; review them, then approve.", number=number), "ok")
    return redirect(url_for("curator.submission", number=number))


def _decision(form: Form) -> tuple[str, str]:
    decision = form.choice("decision", _("Decision"), ("approve", "reject"), required=True)
    reason = form.text("reason", _("Reason"), max_length=2000, multiline=True)
    if decision == "reject" and not reason:
        form.error("reason", _("Give a reason when rejecting: the author sees it on their status page."))
    return decision, reason


@bp.route("/lessons/<int:number>", methods=["POST"])
@curator_required
def review_lesson(number):
    community = get_community()
    form = Form(request.form)
    decision, reason = _decision(form)
    if not form.ok:
        flash(" ".join(form.errors.values()), "error")
        return redirect(url_for("curator.queue"))
    try:
        if decision == "approve":
            community.lessons.approve(number, signed_in_curator(), reason)
        else:
            community.lessons.reject(number, signed_in_curator(), reason)
    except LookupError:
        abort(404, description=_("There is no lesson %(number)s.", number=number))
    except ValueError as exc:
        abort(409, description=str(exc))
    notify.decision("lesson", community.lessons.get(number))
    if decision == "approve":
        from web.publishing import rebuild

        problem = rebuild(settings())  # approved lessons are indexed with their practice
        flash(
            _("Lesson %(number)s approved and searchable now.", number=number)
            if not problem
            else _("Lesson %(number)s approved, but %(problem)s", number=number, problem=problem),
            "error" if problem else "ok",
        )
    else:
        flash(_("Lesson %(number)s rejected.", number=number), "ok")
    return redirect(url_for("curator.queue"))


@bp.route("/submissions/<int:number>", methods=["POST"])
@curator_required
def review_submission(number):
    community = get_community()
    _submission_or_404(number)
    form = Form(request.form)
    decision, reason = _decision(form)
    if not form.ok:
        flash(" ".join(form.errors.values()), "error")
        return redirect(url_for("curator.submission", number=number))
    try:
        if decision == "reject":
            community.submissions.reject(number, signed_in_curator(), reason)
            flash(_("Submission %(number)s rejected.", number=number), "ok")
        else:
            target = approve_submission(community, settings(), number, signed_in_curator(), reason)
            flash(_("%(file)s published and searchable now.", file=target.name), "ok")
    except PublishError as exc:
        flash(str(exc), "error")
        return redirect(url_for("curator.submission", number=number))
    except ValueError as exc:
        abort(409, description=str(exc))
    notify.decision("submission", community.submissions.get(number))
    return redirect(url_for("curator.queue"))


@bp.route("/unpublish", methods=["POST"])
@curator_required
def unpublish():
    """Unpublish a practice or a lesson, with a reason; nothing else is lost."""
    community = get_community()
    form = Form(request.form)
    kind = form.choice("kind", _("What"), ("practice", "lesson"), required=True)
    ref = form.text("ref", _("Which"), required=True, max_length=120)
    reason = form.text("reason", _("Reason"), required=True, max_length=2000, multiline=True)
    back = same_site_path(request.form.get("back", "")) or url_for("curator.queue")
    if not form.ok:
        flash(" ".join(form.errors.values()), "error")
        return redirect(back)
    try:
        if kind == "lesson":
            community.lessons.unpublish(int(ref) if ref.isdigit() else -1, signed_in_curator(), reason)
            from web.publishing import rebuild

            rebuild(settings())
            flash(_("Lesson %(number)s unpublished.", number=ref), "ok")
        else:
            unpublish_practice(community, settings(), ref, signed_in_curator(), reason)
            flash(_("Practice %(id)s unpublished; its file is kept in the data folder.", id=ref), "ok")
            back = url_for("curator.queue")
    except (LookupError, ValueError, PublishError) as exc:
        flash(str(exc), "error")
    return redirect(back)
