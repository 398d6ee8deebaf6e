"""The `kb` command line: a thin layer over the library functions (content commands here; search in
cli_search.py; the site, curators and translations in cli_site.py).

This is the one module that wires kb, search and web together; it imports search
and web inside the commands that need them.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from kb import coverage, loader, vocab
from kb.config import Paths, Settings, SettingsError


def _settings(ctx) -> Settings:
    return ctx.obj


def _paths(ctx) -> Paths:
    return ctx.obj.paths


def _echo_problems(result: loader.LoadResult, strict: bool) -> None:
    for problem in result.problems:
        colour = "red" if problem.severity == "error" or strict else "yellow"
        click.secho(str(problem), fg=colour, err=True)


@click.group()
@click.option(
    "--practices",
    "practices_dir",
    type=click.Path(file_okay=False),
    help="Folder of practice entries (default: KB_PRACTICES_DIR, else ./practices).",
)
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False),
    help="Folder for the built database, index and models (default: KB_DATA_DIR, else ./var).",
)
@click.version_option(package_name="safer-cities-kb")
@click.pass_context
def cli(ctx, practices_dir, data_dir):
    """Safer Cities Knowledge Base: promising urban-safety practices linked to the UN guidelines.

    Example: kb build && kb search "safer buses for women at night"
    """
    overrides = {k: v for k, v in (("practices_dir", practices_dir), ("data_dir", data_dir)) if v}
    try:
        ctx.obj = Settings.from_env(**overrides)
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from None


@cli.command()
@click.option("--strict", is_flag=True, help="Fail on warnings too (missing sections, bad URLs, unknown refs...).")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.pass_context
def validate(ctx, strict, files):
    """Check every practice entry and report every problem at once.

    Exits 1 when there are errors (or, with --strict, warnings).

    Example: kb validate --strict
    """
    result = loader.load(_paths(ctx).practices, extra_files=files)
    if files:  # the files asked for, inside the practices folder or not, checked against the whole inventory
        wanted = {str(Path(f).resolve()) for f in files}
        keep = [p for p in result.problems if str(Path(p.path).resolve()) in wanted]
        result = loader.LoadResult([p for p in result.practices if str(Path(p.path).resolve()) in wanted], keep)
    _echo_problems(result, strict)
    translated = coverage.translation_coverage(result.practices)
    click.echo(
        "translations (title, summary, cost): "
        + ", ".join(f"{lang} {n} of {len(result.practices)}" for lang, n in translated.items()),
        err=True,
    )
    summary = f"{len(result.practices)} entries read: {len(result.errors)} errors, {len(result.warnings)} warnings"
    if result.ok(strict):
        click.secho(summary + " - OK", fg="green", err=True)
    else:
        click.secho(summary, fg="red", err=True)
        sys.exit(1)


@cli.command()
@click.option("--strict/--no-strict", default=False, help="Refuse to build when there are warnings.")
@click.option("--retrain", is_flag=True, help="Retrain the domain model even if the corpus barely changed.")
@click.pass_context
def build(ctx, strict, retrain):
    """Validate the entries, then build the database and the search index, and publish them.

    The build is written into a folder of its own and published with one atomic
    switch: a failed or interrupted build leaves the previous one serving.

    Example: kb build
    """
    from search import pipeline

    settings = _settings(ctx)

    def progress(message):
        click.echo(f"  {message}", err=True)

    try:
        manifest = pipeline.build(
            settings.paths,
            strict=strict,
            setting=settings.model,
            retrain=retrain,
            hnsw_threshold=settings.hnsw_threshold,
            progress=progress,
            community=settings.community_url,
        )
    except pipeline.BuildRefused as refused:
        _echo_problems(refused.result, strict)
        click.secho(str(refused), fg="red", err=True)
        sys.exit(1)
    for warning in manifest["warnings"]:
        click.secho(warning, fg="yellow", err=True)
    click.secho(
        f"build published: {manifest['practices']} practices, {manifest['count']} passages, "
        f"model {manifest['model']} ({manifest['model_kind']})",
        fg="green",
        err=True,
    )


@cli.command()
@click.argument("practice_id")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.pass_context
def new(ctx, practice_id, force):
    """Create practices/PRACTICE_ID.md from the template, every field explained.

    Example: kb new nairobi-safer-markets
    """
    from kb.field_checks import ID_PATTERN, RESERVED_IDS

    if not ID_PATTERN.match(practice_id):
        raise click.BadParameter(
            "use lowercase letters and digits joined by hyphens, e.g. 'nairobi-safer-markets'", param_hint="PRACTICE_ID"
        )
    if practice_id in RESERVED_IDS:
        raise click.BadParameter(
            f"'{practice_id}' is reserved by the site; choose another, e.g. 'city-{practice_id}'",
            param_hint="PRACTICE_ID",
        )
    target = _paths(ctx).practices / f"{practice_id}.md"
    if target.exists() and not force:
        raise click.ClickException(f"{target} already exists (use --force to overwrite)")
    template = (Path(__file__).parent / "templates" / "practice.md").read_text(encoding="utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        template.replace("{id}", practice_id).replace("{today}", dt.date.today().isoformat()), encoding="utf-8"
    )
    click.echo(f"created {target}; fill it in, then run: kb validate --strict")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def stats(ctx, as_json):
    """Count practices by region, theme and rating; list guideline levers with no practice yet.

    Example: kb stats
    """
    from kb import guidelines

    result = loader.load(_paths(ctx).practices)
    counted = coverage.counts(result.practices)
    gaps = coverage.unlinked_levers(result.practices, guidelines.load())
    if as_json:
        click.echo(
            json.dumps(
                {
                    "practices": len(result.practices),
                    **{k: dict(v) for k, v in counted.items()},
                    "unlinked_guideline_items": gaps,
                },
                indent=2,
            )
        )
        return
    click.echo(f"{len(result.practices)} practices")
    names = {
        "region": vocab.REGIONS,
        "theme": vocab.THEMES,
        "rating": vocab.EVIDENCE_RATINGS,
        "target_group": vocab.TARGET_GROUPS,
    }
    for facet, counter in counted.items():
        click.echo(f"\nby {facet.replace('_', ' ')}:")
        for term in names[facet]:
            click.echo(f"  {counter.get(term, 0):4d}  {vocab.label(names[facet], term)}")
    click.echo(f"\nguideline items with no practice yet ({len(gaps)}): {', '.join(gaps) or 'none'}")


@cli.command(name="coverage")
@click.pass_context
def coverage_command(ctx):
    """Print the coverage matrix; exit 1 while a required cell is below its minimum.

    Example: kb coverage
    """
    from kb import guidelines

    result = loader.load(_paths(ctx).practices)
    cells = coverage.matrix(result.practices, guidelines.load())
    group = None
    for cell in cells:
        if cell.group != group:
            group = cell.group
            click.echo(f"\n{group}")
        mark = "ok  " if cell.met else "MISS"
        colour = None if cell.met else "red"
        click.secho(f"  {mark} {cell.count:3d}/{cell.required:<2d} {cell.key:<14} {cell.label[:70]}", fg=colour)
    missing = [c for c in cells if not c.met]
    click.echo(f"\n{len(cells) - len(missing)} of {len(cells)} cells met")
    for target in coverage.targets(result.practices):
        state = "met" if target.met else "not yet met"
        click.echo(
            f"target {state}: {target.label}: {target.count} of {len(result.practices)} (goal {target.required})"
        )
    if missing:
        sys.exit(1)


@cli.command(name="vocab")
@click.argument("name", required=False)
def vocab_command(name):
    """List the controlled vocabularies, or the terms of one (with definitions).

    Example: kb vocab themes
    """
    if not name:
        for key, terms in vocab.VOCABULARIES.items():
            click.echo(f"{key}: {', '.join(terms)}")
        return
    if name not in vocab.VOCABULARIES:
        raise click.BadParameter(f"choose one of: {', '.join(vocab.VOCABULARIES)}", param_hint="NAME")
    for term in vocab.VOCABULARIES[name].values():
        refs = f"  [{', '.join(term.guideline_refs)}]" if term.guideline_refs else ""
        click.echo(f"{term.id:<34} {term.label}: {term.definition}{refs}")


def builds_exist(paths) -> bool:
    from kb import builds

    return builds.current_build(paths) is not None


def _engine(paths):
    from kb import builds
    from search import engine

    build_dir = builds.current_build(paths)
    if build_dir is None:
        raise click.ClickException(f"nothing is built in {paths.data}: run `kb build` first")
    return engine.for_build(build_dir)


# The other commands live beside this module; importing them registers them on `cli`.
from kb import cli_search, cli_site  # noqa: E402, F401
