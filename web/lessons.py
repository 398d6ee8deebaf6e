"""Share a lesson: peers tell what they tried, what happened, what they would do differently."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from kb import queries
from web.community_state import allow_submission, get_community
from web.forms import Form
from web.state import get_db

bp = Blueprint("lessons", __name__, url_prefix="/lessons")
LONG = 5000


def _choices():
    db = get_db()
    return queries.practices(db), queries.cities(db)


@bp.route("/new", methods=["GET", "POST"])
def new():
    practices, cities = _choices()
    practice_ids = {p["id"] for p in practices}
    city_slugs = {c["slug"] for c in cities}
    if request.method == "GET":
        values = {"practice_id": request.args.get("practice", ""), "city_slug": request.args.get("city", "")}
        return render_template("lesson_form.html", values=values, errors={}, practices=practices, cities=cities)

    form = Form(request.form)
    lesson = {
        "name": form.text("name", "Your name", required=True, max_length=120),
        "organisation": form.text("organisation", "Organisation", max_length=200),
        "city": form.text("city", "Your city", max_length=120),
        "role": form.text("role", "Role", max_length=120),
        "email": form.email("email", "Email"),
        "show_email": form.flag("show_email"),
        "practice_id": form.choice("practice_id", "Practice", practice_ids) or None,
        "city_slug": form.choice("city_slug", "City the lesson is about", city_slugs) or None,
        "tried": form.text("tried", "What you tried", required=True, max_length=LONG, multiline=True),
        "happened": form.text("happened", "What happened", required=True, max_length=LONG, multiline=True),
        "differently": form.text("differently", "What you would do differently", max_length=LONG, multiline=True),
    }
    if not lesson["practice_id"] and not lesson["city_slug"] and "practice_id" not in form.errors:
        form.error("practice_id", "Choose the practice or the city (or both) that your lesson is about.")
    if lesson["show_email"] and not lesson["email"]:
        form.error("email", "Give an email address, or untick 'show my email'.")
    if form.ok and not allow_submission():
        form.error("form", "Too many submissions from your connection in the last few minutes. "
                           "Your text is kept below: please try again later.")
    if not form.ok:
        return render_template("lesson_form.html", values=form.values, errors=form.errors,
                               practices=practices, cities=cities), 422
    lesson_id = get_community().add_lesson(lesson)
    return redirect(url_for("lessons.thanks", lesson_id=lesson_id))


@bp.route("/thanks/<int:lesson_id>")
def thanks(lesson_id):
    return render_template("thanks.html", what="lesson", number=lesson_id)
