"""Curricula for trainers: the routes that change a curriculum's modules and their items."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from kb import guidelines, queries
from kb.community.curricula import Item, LimitReached, Module
from web.community_state import get_community
from web.curricula import _edit_page, _read_module, bp, require_edit
from web.forms import Form
from web.safety import same_site_path
from web.state import get_db


@bp.route("/<curriculum_id>/modules", methods=["POST"])
def add_module(curriculum_id):
    require_edit(curriculum_id)
    form = Form(request.form)
    module = _read_module(form)
    if not form.ok:
        return _edit_page(curriculum_id, module_errors={"new": form.errors, "new_values": form.values}, status=422)
    try:
        module_id = get_community().curricula.add_module(curriculum_id, module)
    except LimitReached as exc:
        abort(409, description=str(exc))
    return redirect(url_for("curricula.edit", curriculum_id=curriculum_id) + f"#module-{module_id}")


def _module_action(curriculum_id: str, module_id: int, action: str):
    curricula = get_community().curricula
    if action in ("up", "down"):
        curricula.move(curriculum_id, "module", module_id, -1 if action == "up" else 1)
    elif action == "delete":
        if request.form.get("confirm") != "yes":
            return render_template(
                "confirm.html",
                what=_("this module and its sections and case studies"),
                action=url_for("curricula.update_module", curriculum_id=curriculum_id, module_id=module_id),
                back=url_for("curricula.edit", curriculum_id=curriculum_id),
                field=("action", "delete"),
            )
        curricula.delete_module(curriculum_id, module_id)
        flash(_("Module deleted."), "ok")
    else:
        form = Form(request.form)
        module = _read_module(form)
        if not form.ok:
            return _edit_page(
                curriculum_id, module_errors={module_id: form.errors, f"{module_id}_values": form.values}, status=422
            )
        curricula.update_module(curriculum_id, module_id, module)
        flash(_("Module saved."), "ok")
    return None


@bp.route("/<curriculum_id>/modules/<int:module_id>", methods=["POST"])
def update_module(curriculum_id, module_id):
    require_edit(curriculum_id)
    action = request.form.get("action", "save")
    if action not in ("save", "up", "down", "delete"):
        abort(400, description=_("action: use save, up, down or delete"))
    try:
        page = _module_action(curriculum_id, module_id, action)
    except LookupError as exc:
        abort(404, description=str(exc))
    return page or redirect(url_for("curricula.edit", curriculum_id=curriculum_id) + f"#module-{module_id}")


def _check_ref(kind: str, ref: str) -> None:
    if kind not in ("guideline", "practice"):
        abort(400, description=_("kind: use 'guideline' or 'practice'"))
    if kind == "guideline" and ref not in guidelines.load():
        abort(400, description=_("ref: '%(ref)s' is not a guideline section id", ref=ref[:60]))
    if kind == "practice" and not queries.practices(get_db(), [ref]):
        abort(400, description=_("ref: '%(ref)s' is not a practice id", ref=ref[:60]))


def _add(curriculum_id: str, module_id: str):
    require_edit(curriculum_id)
    kind, ref = request.form.get("kind", ""), request.form.get("ref", "").strip().split(" ")[0]
    _check_ref(kind, ref)
    curricula = get_community().curricula
    try:
        if module_id == "new" or not curricula.get(curriculum_id).modules:
            module_id = curricula.add_module(curriculum_id, Module(title=_("New module")))
        elif module_id in ("last", ""):
            module_id = curricula.get(curriculum_id).modules[-1].id
        curricula.add_item(curriculum_id, int(module_id), Item(kind=kind, ref=ref))
    except LimitReached as exc:
        abort(409, description=str(exc))
    except (ValueError, LookupError):
        abort(400, description=_("module_id: choose one of this curriculum's modules"))
    back = same_site_path(request.form.get("back"))
    if back:
        flash(_("Added to “%(title)s”.", title=curricula.get(curriculum_id).title), "ok")
        return redirect(back)
    return redirect(url_for("curricula.edit", curriculum_id=curriculum_id) + f"#module-{module_id}")


@bp.route("/<curriculum_id>/items", methods=["POST"])
def add_item(curriculum_id):
    """Add a guideline section or a practice to a module of this curriculum."""
    return _add(curriculum_id, request.form.get("module_id", ""))


@bp.route("/add", methods=["POST"])
def add_to():
    """Add from search results, practice and guideline pages: the target names 'curriculum:module'."""
    curriculum_id, _sep, module_id = request.form.get("target", "").partition(":")
    return _add(curriculum_id[:40], module_id[:20])


@bp.route("/<curriculum_id>/items/<int:item_id>", methods=["POST"])
def update_item(curriculum_id, item_id):
    require_edit(curriculum_id)
    curricula = get_community().curricula
    action = request.form.get("action", "")
    try:
        if action in ("up", "down"):
            curricula.move(curriculum_id, "item", item_id, -1 if action == "up" else 1)
        elif action == "delete":
            removed = curricula.remove_item(curriculum_id, item_id)
            session["undo"] = {
                "curriculum": curriculum_id,
                "module": request.form.get("module_id", ""),
                "kind": removed.kind,
                "ref": removed.ref,
            }
            flash(_("Removed."), "undo")
        elif action == "note":
            note = request.form.get("note", "").strip()[:1000]
            curricula.update_item(curriculum_id, item_id, note)
        elif action == "move":
            curricula.move_item_to(curriculum_id, item_id, int(request.form.get("to_module", "0") or 0))
        else:
            abort(400, description=_("action: use up, down, delete, note or move"))
    except LimitReached as exc:
        abort(409, description=str(exc))
    except (LookupError, ValueError) as exc:
        abort(404, description=str(exc))
    return redirect(url_for("curricula.edit", curriculum_id=curriculum_id) + "#modules")


@bp.route("/<curriculum_id>/undo", methods=["POST"])
def undo(curriculum_id):
    require_edit(curriculum_id)
    last = session.pop("undo", None)
    if last and last["curriculum"] == curriculum_id:
        try:
            get_community().curricula.add_item(
                curriculum_id, int(last["module"]), Item(kind=last["kind"], ref=last["ref"])
            )
            flash(_("Put back."), "ok")
        except (ValueError, LookupError):
            flash(_("It could not be put back: its module is gone."), "error")
    return redirect(url_for("curricula.edit", curriculum_id=curriculum_id) + "#modules")
