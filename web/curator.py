"""Curators review what peers submit: log in, see the queue, approve or reject with a reason."""

from __future__ import annotations

import functools
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for

from kb import guidelines, loader
from web.community_state import get_community, rebuild, write_atomically
from web.forms import Form

bp = Blueprint("curator", __name__, url_prefix="/curator")


def curator_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if not session.get("curator"):
            if request.method == "GET":
                return redirect(url_for("curator.login", next=request.path))
            abort(403, description="Log in as a curator first.")
        return view(*args, **kwargs)
    return wrapped


@bp.route("/login", methods=["GET", "POST"])
def login():
    error = None
    if request.method == "POST":
        name = request.form.get("name", "").strip()
        if get_community().check_curator(name, request.form.get("password", "")):
            session.clear()
            session["curator"] = name
            target = request.args.get("next", "")
            return redirect(target if target.startswith("/curator") else url_for("curator.queue"))
        error = "Unknown name or wrong password."
    return render_template("curator_login.html", error=error, name=request.form.get("name", "")), (401 if error else 200)


@bp.route("/logout", methods=["POST"])
def logout():
    session.pop("curator", None)
    return redirect(url_for("pages.home"))


@bp.route("/")
@curator_required
def queue():
    community = get_community()
    return render_template("curator_queue.html", lessons=community.lessons("pending"),
                           submissions=community.submissions("pending"))


@bp.route("/submissions/<int:number>")
@curator_required
def submission(number):
    item = get_community().submission(number)
    if item is None:
        abort(404, description=f"There is no submission {number}.")
    practice, problems = loader.parse_text(item["document"], f"{item['practice_id']}.md", set(guidelines.load().sections))
    return render_template("curator_submission.html", s=item, practice=practice, problems=problems)


def _decision(form: Form) -> tuple[str, str]:
    decision = form.choice("decision", "Decision", ("approve", "reject"), required=True)
    reason = form.text("reason", "Reason", max_length=2000, multiline=True)
    if decision == "reject" and not reason:
        form.error("reason", "Give a reason when rejecting: the person who submitted it will read it.")
    return decision, reason


@bp.route("/lessons/<int:number>", methods=["POST"])
@curator_required
def review_lesson(number):
    form = Form(request.form)
    decision, reason = _decision(form)
    if not form.ok:
        flash(" ".join(form.errors.values()), "error")
        return redirect(url_for("curator.queue"))
    try:
        get_community().review("lessons", number, "approved" if decision == "approve" else "rejected",
                               session["curator"], reason)
    except LookupError:
        abort(404, description=f"There is no lesson {number}.")
    except ValueError as exc:
        abort(409, description=str(exc))
    if decision == "approve":
        problem = rebuild()  # approved lessons are indexed with their practice
        flash(f"Lesson {number} approved" + (f", but {problem}" if problem else " and searchable now."),
              "error" if problem else "ok")
    else:
        flash(f"Lesson {number} rejected.", "ok")
    return redirect(url_for("curator.queue"))


@bp.route("/submissions/<int:number>", methods=["POST"])
@curator_required
def review_submission(number):
    community = get_community()
    item = community.submission(number)
    if item is None:
        abort(404, description=f"There is no submission {number}.")
    form = Form(request.form)
    decision, reason = _decision(form)
    if not form.ok:
        flash(" ".join(form.errors.values()), "error")
        return redirect(url_for("curator.submission", number=number))
    if decision == "reject":
        community.review("submissions", number, "rejected", session["curator"], reason)
        flash(f"Submission {number} rejected.", "ok")
        return redirect(url_for("curator.queue"))

    practices_dir = Path(current_app.config["KB_PRACTICES_DIR"])
    target = practices_dir / f"{item['practice_id']}.md"
    if target.exists():
        flash(f"{target.name} already exists in the inventory; the submission stays pending.", "error")
        return redirect(url_for("curator.submission", number=number))
    try:
        write_atomically(target, item["document"])
    except OSError as exc:
        flash(f"Could not write {target.name} ({exc.strerror}); nothing was published and the submission "
              "stays pending.", "error")
        return redirect(url_for("curator.submission", number=number))
    try:
        community.review("submissions", number, "approved", session["curator"], reason, published_path=str(target))
    except Exception:
        target.unlink(missing_ok=True)  # keep the file and the queue in agreement
        raise
    problem = rebuild()
    flash(f"{target.name} published" + (f", but {problem}" if problem else " and searchable now."),
          "error" if problem else "ok")
    return redirect(url_for("curator.queue"))
