"""Share a lesson: peers tell what they tried, what happened, what they would do differently.

A lesson is about a practice and comes from the peer's city; it shows on that practice's page
and under that city (when the city is in the inventory; otherwise the peer names it).
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from kb import queries
from web import notify
from web.community_state import allow_submission, get_community
from web.forms import Form
from web.state import get_db

bp = Blueprint("lessons", __name__, url_prefix="/lessons")
LONG = 5000


def _choices():
    db = get_db()
    return queries.practices(db), queries.cities(db)


def read_lesson(form: Form, practice_ids: set[str], city_slugs: set[str]) -> dict:
    lesson = {
        "practice_id": form.choice("practice_id", _("Practice"), practice_ids) or None,
        "from_city_slug": form.choice("from_city_slug", _("Your city"), city_slugs) or None,
        "city": form.plain("city", _("Your city, if it is not in the list"), max_length=120),
        "country": form.plain("country", _("Country"), max_length=120),
        "tried": form.text("tried", _("What you tried"), required=True, max_length=LONG, multiline=True),
        "happened": form.text("happened", _("What happened"), required=True, max_length=LONG, multiline=True),
        "differently": form.text("differently", _("What you would do differently"), max_length=LONG, multiline=True),
        "name": form.plain("name", _("Your name"), required=True, max_length=120),
        "organisation": form.plain("organisation", _("Organisation"), max_length=200),
        "role": form.plain("role", _("Your role"), max_length=120),
        "email": form.email("email", _("Email")),
        "show_email": form.flag("show_email"),
    }
    if not lesson["practice_id"] and not lesson["from_city_slug"] and not form.errors.get("practice_id"):
        form.error(
            "practice_id",
            _("Choose the practice your lesson is about, or your city in the list, so that peers can find it."),
        )
    if lesson["city"] and not lesson["country"] and not lesson["from_city_slug"]:
        form.error("country", _("Name the country of %(city)s.", city=lesson["city"]))
    if lesson["show_email"] and not lesson["email"]:
        form.error("email", _("Give an email address, or untick 'show my email'."))
    return lesson


@bp.route("/new", methods=["GET", "POST"])
def new():
    practices, cities = _choices()
    if request.method == "GET":
        values = {"practice_id": request.args.get("practice", ""), "from_city_slug": request.args.get("city", "")}
        return render_template("lesson_form.html", values=values, errors={}, practices=practices, cities=cities)
    form = Form(request.form)
    lesson = read_lesson(form, {p["id"] for p in practices}, {c["slug"] for c in cities})
    if form.ok and not allow_submission():
        form.error(
            "form",
            _(
                "Too many submissions from your connection in the last few minutes. "
                "Your text is kept below: please try again later."
            ),
        )
    if not form.ok:
        return render_template(
            "lesson_form.html", values=form.values, errors=form.errors, practices=practices, cities=cities
        ), 422
    number, token = get_community().lessons.add(lesson)
    notify.received("lesson", number, token, lesson["email"])
    session["status_token"] = token  # shown once on the thank-you page
    return redirect(url_for("lessons.thanks", lesson_id=number))


@bp.route("/thanks/<int:lesson_id>")
def thanks(lesson_id):
    token = session.pop("status_token", None)
    return render_template(
        "thanks.html", what=_("lesson"), number=lesson_id, status_link=notify.status_link(token) if token else None
    )


def for_display(lessons: list[dict]) -> list[dict]:
    """Lessons with the name of the city they come from and the title of the practice they are about."""
    if not lessons:
        return []
    db = get_db()
    cities = {c["slug"]: c["name"] for c in queries.cities(db)}
    titles = {
        p["id"]: p["title"]
        for p in queries.practices(db, [lesson["practice_id"] for lesson in lessons if lesson.get("practice_id")])
    }
    return [
        lesson
        | {
            "from_name": cities.get(lesson.get("from_city_slug")) or lesson.get("city"),
            "practice_title": titles.get(lesson.get("practice_id")),
        }
        for lesson in lessons
    ]
