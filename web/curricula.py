"""Curricula for trainers: the routes. The domain (modules, items, editors, limits) is kb/community/curricula.py.

A new curriculum, and a copy of one, is private to its editor until they publish it to the
shared list; the plain read link works for anyone it is sent to. Editors are recognised by one
token in their session; the secret edit link lets them edit from another browser.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from kb import guidelines, queries
from kb.community.curricula import Module, starters
from web import exports
from web.community_state import client_id, current_editor, editor, get_community
from web.forms import Form
from web.state import absolute_url, get_db, settings

bp = Blueprint("curricula", __name__, url_prefix="/curricula")


def load(curriculum_id: str):
    found = starters().get(curriculum_id) or get_community().curricula.get(curriculum_id)
    if found is None:
        abort(404, description=_("There is no curriculum '%(id)s'.", id=curriculum_id[:40]))
    return found


def resolved(curriculum):
    """Attach the guideline sections and practices each module item points to."""
    doc = guidelines.load()
    refs = [i.ref for m in curriculum.modules for i in m.items if i.kind == "practice"]
    practices = {p["id"]: p for p in queries.practices(get_db(), refs)} if refs else {}
    for module in curriculum.modules:
        for item in module.items:
            item.section = doc.sections.get(item.ref) if item.kind == "guideline" else None
            item.practice = practices.get(item.ref) if item.kind == "practice" else None
    return curriculum


def editable(curriculum_id: str) -> bool:
    return get_community().curricula.can_edit(curriculum_id, current_editor())


def require_edit(curriculum_id: str) -> None:
    if curriculum_id in starters():
        abort(403, description=_("Starter curricula cannot be changed: make a copy first."))
    key = request.args.get("key")
    if key and get_community().curricula.claim(curriculum_id, key, editor()):
        return
    if not editable(curriculum_id):
        abort(
            403, description=_("Only the person who created this curriculum can change it (use the secret edit link).")
        )


def my_curricula() -> list[dict]:
    """The curricula this browser can edit; looked up once per request, and not at all for most visitors."""
    if not current_editor():
        return []
    if "kb_my_curricula" not in g:
        g.kb_my_curricula = get_community().curricula.editable_by(current_editor())
    return g.kb_my_curricula


def curriculum_modules(curriculum_id: str) -> list:
    found = get_community().curricula.get(curriculum_id)
    return found.modules if found else []


@bp.app_context_processor
def curriculum_helpers():
    return {"my_curricula": my_curricula, "curriculum_modules": curriculum_modules}


def _read_details(form: Form) -> dict:
    return {
        "title": form.plain("title", _("Title"), required=True, max_length=200),
        "audience": form.plain("audience", _("Audience"), max_length=500),
        "duration": form.plain("duration", _("Duration"), max_length=200),
        "objectives": form.text("objectives", _("Learning objectives"), max_length=4000, multiline=True),
    }


def _read_module(form: Form) -> Module:
    minutes = form.text("minutes", _("Time (minutes)"), max_length=4)
    if minutes and not (minutes.isdigit() and 0 < int(minutes) <= 1440):
        form.error("minutes", _("Give the time in whole minutes, from 1 to 1440."))
    return Module(
        title=form.plain("module_title", _("Module title"), required=True, max_length=200),
        questions=form.text("questions", _("Discussion questions"), max_length=4000, multiline=True),
        exercise=form.text("exercise", _("Exercise"), max_length=4000, multiline=True),
        minutes=int(minutes) if minutes.isdigit() else None,
    )


def _allow_new() -> bool:
    return get_community().limits.allow("curriculum", client_id(), settings().curriculum_limit, 3600)


@bp.route("/")
def index():
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and 0 < int(page) < 10_000 else 1
    shared, total = get_community().curricula.published(page=page)
    return render_template(
        "curricula.html", starters=starters(), community=shared, page=page, pages=max(1, -(-total // 20))
    )


@bp.route("/new", methods=["GET", "POST"])
def new():
    if request.method == "GET":
        return render_template("curriculum_form.html", values={}, errors={})
    form = Form(request.form)
    details = _read_details(form)
    if form.ok and not _allow_new():
        form.error(
            "form",
            _(
                "You have started many curricula in the last hour; please wait before starting another. "
                "What you typed is kept."
            ),
        )
    if not form.ok:
        return render_template("curriculum_form.html", values=form.values, errors=form.errors), 422
    curriculum_id, key = get_community().curricula.create(details, editor())
    session["new_key"] = key
    return redirect(url_for("curricula.edit", curriculum_id=curriculum_id))


@bp.route("/<curriculum_id>/copy", methods=["POST"])
def copy(curriculum_id):
    source = load(curriculum_id)
    if not _allow_new():
        abort(
            429, description=_("You have started many curricula in the last hour; please wait before copying another.")
        )
    details = {
        "title": _("%(title)s (my copy)", title=source.title)[:200],
        "audience": source.audience,
        "duration": source.duration,
        "objectives": source.objectives,
    }
    new_id, key = get_community().curricula.create(details, editor(), modules=source.modules, based_on=curriculum_id)
    session["new_key"] = key
    return redirect(url_for("curricula.edit", curriculum_id=new_id))


@bp.route("/<curriculum_id>")
def show(curriculum_id):
    curriculum = resolved(load(curriculum_id))
    return render_template("curriculum.html", c=curriculum, can_edit=not curriculum.starter and editable(curriculum_id))


def _edit_page(curriculum_id: str, errors=None, values=None, module_errors=None, status=200):
    curriculum = resolved(load(curriculum_id))
    key = session.pop("new_key", None)
    edit_link = absolute_url(url_for("curricula.edit", curriculum_id=curriculum_id, key=key)) if key else None
    doc = guidelines.load()
    return render_template(
        "curriculum_edit.html",
        c=curriculum,
        values=values or vars(curriculum),
        errors=errors or {},
        module_errors=module_errors or {},
        sections=[s for s in doc.in_order() if s.kind != "term"],
        practices=queries.practices(get_db()),
        edit_link=edit_link,
        read_link=absolute_url(url_for("curricula.show", curriculum_id=curriculum_id)),
    ), status


@bp.route("/<curriculum_id>/edit", methods=["GET", "POST"])
def edit(curriculum_id):
    require_edit(curriculum_id)
    if request.method == "POST":
        form = Form(request.form)
        details = _read_details(form)
        if not form.ok:
            return _edit_page(curriculum_id, form.errors, form.values, status=422)
        get_community().curricula.update(curriculum_id, details)
        flash(_("Details saved."), "ok")
        return redirect(url_for("curricula.edit", curriculum_id=curriculum_id))
    return _edit_page(curriculum_id)


@bp.route("/<curriculum_id>/publish", methods=["POST"])
def publish(curriculum_id):
    require_edit(curriculum_id)
    published = request.form.get("published") == "1"
    get_community().curricula.set_published(curriculum_id, published)
    flash(
        _("Published to the shared list.")
        if published
        else _("Taken off the shared list; only people with the link can read it."),
        "ok",
    )
    return redirect(url_for("curricula.edit", curriculum_id=curriculum_id))


@bp.route("/<curriculum_id>/delete", methods=["GET", "POST"])
def delete(curriculum_id):
    require_edit(curriculum_id)
    if request.method == "GET" or request.form.get("confirm") != "yes":
        return render_template(
            "confirm.html",
            what=_("the curriculum “%(title)s” and all its modules", title=load(curriculum_id).title),
            action=url_for("curricula.delete", curriculum_id=curriculum_id),
            back=url_for("curricula.edit", curriculum_id=curriculum_id),
        )
    get_community().curricula.delete(curriculum_id)
    flash(_("The curriculum was deleted."), "ok")
    return redirect(url_for("curricula.index"))


@bp.route("/<curriculum_id>.md")
def export_markdown(curriculum_id):
    curriculum = resolved(load(curriculum_id))
    text = exports.markdown(curriculum, absolute_url(url_for("curricula.show", curriculum_id=curriculum_id)))
    return Response(
        text,
        mimetype="text/markdown; charset=utf-8",
        headers={"Content-Disposition": f"attachment; filename=curriculum-{curriculum_id}.md"},
    )


@bp.route("/<curriculum_id>.docx")
def export_docx(curriculum_id):
    curriculum = resolved(load(curriculum_id))
    data = exports.docx(curriculum, absolute_url(url_for("curricula.show", curriculum_id=curriculum_id)))
    return Response(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        headers={"Content-Disposition": f"attachment; filename=curriculum-{curriculum_id}.docx"},
    )


@bp.route("/<curriculum_id>/handout")
def handout(curriculum_id):
    return render_template(
        "curriculum_handout.html",
        c=resolved(load(curriculum_id)),
        doc=guidelines.load(),
        url_root=(settings().base_url or "").rstrip("/"),
    )


# Module and item routes live in web/curriculum_modules.py, on this same blueprint.
import web.curriculum_modules  # noqa: E402, F401
