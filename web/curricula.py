"""Curricula for trainers: built in the site, shared by link, exported to Markdown and a print handout."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, g, redirect, render_template, request, session, url_for

from kb import community as community_module
from kb import guidelines, queries
from web.community_state import get_community
from web.forms import Form
from web.state import get_db

bp = Blueprint("curricula", __name__, url_prefix="/curricula")
STARTERS = Path(community_module.__file__).resolve().parent / "data" / "curricula"


def starters() -> dict[str, dict]:
    return community_module.starter_curricula(STARTERS)


def _starter_as_curriculum(data: dict) -> dict:
    modules = []
    for position, module in enumerate(data["modules"]):
        items = [{"id": None, "kind": kind, "ref": ref, "position": i} for i, (kind, ref) in enumerate(module["items"])]
        modules.append({"id": None, "position": position, "title": module["title"], "questions": module.get("questions"),
                        "exercise": module.get("exercise"), "items": items})
    return {k: data.get(k) for k in ("id", "title", "audience", "duration", "objectives")} | {"modules": modules, "starter": True}


def load(curriculum_id: str) -> dict:
    if curriculum_id in starters():
        return _starter_as_curriculum(starters()[curriculum_id])
    found = get_community().curriculum(curriculum_id)
    if found is None:
        abort(404, description=f"There is no curriculum '{curriculum_id}'.")
    return found


def resolved(curriculum: dict) -> dict:
    """Attach the guideline sections and practices each module item points to."""
    doc = guidelines.load()
    db = get_db()
    for module in curriculum["modules"]:
        for item in module["items"]:
            if item["kind"] == "guideline":
                item["section"] = doc.sections.get(item["ref"])
            else:
                found = queries.practices(db, [item["ref"]])
                item["practice"] = found[0] if found else None
    return curriculum


def editable(curriculum_id: str) -> bool:
    key = session.get("curricula", {}).get(curriculum_id)
    return get_community().can_edit(curriculum_id, key)


def require_edit(curriculum_id: str) -> None:
    key = request.args.get("key")
    if key and get_community().can_edit(curriculum_id, key):
        session["curricula"] = {**session.get("curricula", {}), curriculum_id: key}
    if not editable(curriculum_id):
        abort(403, description="Only the person who created this curriculum can change it (use the secret edit link).")


def my_curricula() -> list[dict]:
    """The curricula this browser can edit; looked up once per request, and not at all for most visitors."""
    keys = session.get("curricula") or {}
    if not keys:
        return []
    if "kb_my_curricula" not in g:
        g.kb_my_curricula = [c for c in get_community().curricula() if c["id"] in keys]
    return g.kb_my_curricula


@bp.app_context_processor
def curriculum_helpers():
    return {"my_curricula": my_curricula}


def _read_details(form: Form) -> dict:
    return {
        "title": form.text("title", "Title", required=True, max_length=200),
        "audience": form.text("audience", "Audience", max_length=500),
        "duration": form.text("duration", "Duration", max_length=200),
        "objectives": form.text("objectives", "Learning objectives", max_length=4000, multiline=True),
    }


@bp.route("/")
def index():
    return render_template("curricula.html", starters=starters(), community=get_community().curricula())


@bp.route("/new", methods=["GET", "POST"])
def new():
    if request.method == "GET":
        return render_template("curriculum_form.html", values={}, errors={})
    form = Form(request.form)
    details = _read_details(form)
    if not form.ok:
        return render_template("curriculum_form.html", values=form.values, errors=form.errors), 422
    curriculum_id, key = get_community().create_curriculum(details)
    session["curricula"] = {**session.get("curricula", {}), curriculum_id: key}
    session["new_key"] = key
    return redirect(url_for("curricula.edit", curriculum_id=curriculum_id))


@bp.route("/<curriculum_id>/copy", methods=["POST"])
def copy(curriculum_id):
    source = load(curriculum_id)
    data = {k: source.get(k) for k in ("title", "audience", "duration", "objectives")}
    data["title"] = f"{data['title']} (my copy)"
    data["modules"] = [{"title": m["title"], "questions": m.get("questions"), "exercise": m.get("exercise"),
                        "items": [(i["kind"], i["ref"]) for i in m["items"]]} for m in source["modules"]]
    new_id, key = get_community().create_curriculum(data, based_on=curriculum_id)
    session["curricula"] = {**session.get("curricula", {}), new_id: key}
    session["new_key"] = key
    return redirect(url_for("curricula.edit", curriculum_id=new_id))


@bp.route("/<curriculum_id>")
def show(curriculum_id):
    curriculum = resolved(load(curriculum_id))
    can_edit = not curriculum.get("starter") and editable(curriculum_id)
    return render_template("curriculum.html", c=curriculum, can_edit=can_edit)


@bp.route("/<curriculum_id>/edit", methods=["GET", "POST"])
def edit(curriculum_id):
    if curriculum_id in starters():
        abort(403, description="Starter curricula cannot be changed: make a copy first.")
    require_edit(curriculum_id)
    errors, values = {}, None
    if request.method == "POST":
        form = Form(request.form)
        details = _read_details(form)
        if form.ok:
            get_community().update_curriculum(curriculum_id, details)
            return redirect(url_for("curricula.edit", curriculum_id=curriculum_id))
        errors, values = form.errors, form.values
    curriculum = resolved(load(curriculum_id))
    doc = guidelines.load()
    key = session.pop("new_key", None)
    edit_link = url_for("curricula.edit", curriculum_id=curriculum_id, key=key, _external=True) if key else None
    return render_template("curriculum_edit.html", c=curriculum, values=values or curriculum, errors=errors,
                           sections=[s for s in doc.in_order() if s.kind != "term"],
                           practices=queries.practices(get_db()), edit_link=edit_link), (422 if errors else 200)


@bp.route("/<curriculum_id>/modules", methods=["POST"])
def add_module(curriculum_id):
    require_edit(curriculum_id)
    form = Form(request.form)
    title = form.text("module_title", "Module title", required=True, max_length=200)
    if form.ok:
        get_community().add_module(curriculum_id, title,
                                   form.text("questions", "Questions", max_length=4000, multiline=True),
                                   form.text("exercise", "Exercise", max_length=4000, multiline=True))
    return redirect(url_for("curricula.edit", curriculum_id=curriculum_id) + "#modules")


def _move_or_delete(curriculum_id: str, kind: str, target_id: int, action: str) -> bool:
    """The reorder and delete buttons shared by modules and items; False for any other action."""
    community = get_community()
    try:
        if action in ("up", "down"):
            community.move(curriculum_id, kind, target_id, -1 if action == "up" else 1)
        elif action == "delete":
            (community.delete_module if kind == "module" else community.remove_item)(curriculum_id, target_id)
        else:
            return False
    except LookupError as exc:
        abort(404, description=str(exc))
    return True


@bp.route("/<curriculum_id>/modules/<int:module_id>", methods=["POST"])
def update_module(curriculum_id, module_id):
    require_edit(curriculum_id)
    community = get_community()
    if not _move_or_delete(curriculum_id, "module", module_id, request.form.get("action", "save")):
        form = Form(request.form)
        title = form.text("module_title", "Module title", required=True, max_length=200)
        if form.ok:
            community.update_module(curriculum_id, module_id, title,
                                    form.text("questions", "Questions", max_length=4000, multiline=True),
                                    form.text("exercise", "Exercise", max_length=4000, multiline=True))
    return redirect(url_for("curricula.edit", curriculum_id=curriculum_id) + f"#module-{module_id}")


@bp.route("/<curriculum_id>/items", methods=["POST"])
def add_item(curriculum_id):
    """Add a guideline section or a practice to a module (also from search results and practice pages)."""
    require_edit(curriculum_id)
    kind = request.form.get("kind")
    ref = request.form.get("ref", "")
    if kind == "guideline" and ref not in guidelines.load():
        abort(400, description=f"ref: '{ref[:60]}' is not a guideline section id")
    if kind == "practice" and not queries.practices(get_db(), [ref]):
        abort(400, description=f"ref: '{ref[:60]}' is not a practice id")
    if kind not in ("guideline", "practice"):
        abort(400, description="kind: use 'guideline' or 'practice'")
    community = get_community()
    module_id = request.form.get("module_id", "")
    curriculum = community.curriculum(curriculum_id)
    if module_id == "new" or not curriculum["modules"]:
        module_id = community.add_module(curriculum_id, "New module")
    elif module_id in ("last", ""):
        module_id = curriculum["modules"][-1]["id"]
    try:
        community.add_item(curriculum_id, int(module_id), kind, ref)
    except (ValueError, LookupError):
        abort(400, description="module_id: choose one of this curriculum's modules")
    back = request.form.get("back", "")
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect(url_for("curricula.edit", curriculum_id=curriculum_id) + f"#module-{module_id}")


@bp.route("/<curriculum_id>/items/<int:item_id>", methods=["POST"])
def update_item(curriculum_id, item_id):
    require_edit(curriculum_id)
    if not _move_or_delete(curriculum_id, "item", item_id, request.form.get("action", "")):
        abort(400, description="action: use up, down or delete")
    return redirect(url_for("curricula.edit", curriculum_id=curriculum_id) + "#modules")


def to_markdown(curriculum: dict) -> str:
    doc = guidelines.load()
    lines = [f"# {curriculum['title']}", ""]
    for label, key in (("Audience", "audience"), ("Duration", "duration")):
        if curriculum.get(key):
            lines += [f"**{label}:** {curriculum[key]}", ""]
    if curriculum.get("objectives"):
        lines += ["## Learning objectives", "", curriculum["objectives"], ""]
    for number, module in enumerate(curriculum["modules"], start=1):
        lines += [f"## Module {number}. {module['title']}", ""]
        sections = [i for i in module["items"] if i["kind"] == "guideline" and i.get("section")]
        cases = [i for i in module["items"] if i["kind"] == "practice" and i.get("practice")]
        if sections:
            lines += ["### Guideline sections", ""]
            for item in sections:
                lines += [f"**{item['section'].label}**: {doc.full_text(item['ref'])}", ""]
        if cases:
            lines += ["### Case studies", ""]
            for item in cases:
                p = item["practice"]
                lines += [f"- **{p['title']}** ({p['city']}, {p['country']}; evidence: {p['rating']}). "
                          f"{p.get('summary') or ''} {url_for('pages.practice', practice_id=p['id'], _external=True)}"]
            lines.append("")
        if module.get("questions"):
            lines += ["### Discussion questions", "", module["questions"], ""]
        if module.get("exercise"):
            lines += ["### Exercise", "", module["exercise"], ""]
    lines.append(f"Source: Safer Cities Knowledge Base, {url_for('curricula.show', curriculum_id=curriculum['id'], _external=True)}")
    return "\n".join(lines) + "\n"


@bp.route("/<curriculum_id>.md")
def export_markdown(curriculum_id):
    curriculum = resolved(load(curriculum_id))
    return Response(to_markdown(curriculum), mimetype="text/markdown",
                    headers={"Content-Disposition": f"attachment; filename=curriculum-{curriculum_id}.md"})


@bp.route("/<curriculum_id>/handout")
def handout(curriculum_id):
    return render_template("curriculum_handout.html", c=resolved(load(curriculum_id)), doc=guidelines.load())
