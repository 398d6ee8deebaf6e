"""The `kb` command line: a thin layer over the library functions.

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
@click.option("--practices", "practices_dir", type=click.Path(file_okay=False),
              help="Folder of practice entries (default: KB_PRACTICES_DIR, else ./practices).")
@click.option("--data", "data_dir", type=click.Path(file_okay=False),
              help="Folder for the built database, index and models (default: KB_DATA_DIR, else ./var).")
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
    click.echo("translations (title, summary, cost): " + ", ".join(
        f"{lang} {n} of {len(result.practices)}" for lang, n in translated.items()), err=True)
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
        manifest = pipeline.build(settings.paths, strict=strict, setting=settings.model, retrain=retrain,
                                  hnsw_threshold=settings.hnsw_threshold, progress=progress,
                                  community=settings.community_url)
    except pipeline.BuildRefused as refused:
        _echo_problems(refused.result, strict)
        click.secho(str(refused), fg="red", err=True)
        sys.exit(1)
    for warning in manifest["warnings"]:
        click.secho(warning, fg="yellow", err=True)
    click.secho(f"build published: {manifest['practices']} practices, {manifest['count']} passages, "
                f"model {manifest['model']} ({manifest['model_kind']})", fg="green", err=True)


@cli.command()
@click.argument("practice_id")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.pass_context
def new(ctx, practice_id, force):
    """Create practices/PRACTICE_ID.md from the template, every field explained.

    Example: kb new nairobi-safer-markets
    """
    from kb.schema import ID_PATTERN, RESERVED_IDS

    if not ID_PATTERN.match(practice_id):
        raise click.BadParameter("use lowercase letters and digits joined by hyphens, e.g. 'nairobi-safer-markets'",
                                 param_hint="PRACTICE_ID")
    if practice_id in RESERVED_IDS:
        raise click.BadParameter(f"'{practice_id}' is reserved by the site; choose another, e.g. 'city-{practice_id}'",
                                 param_hint="PRACTICE_ID")
    target = _paths(ctx).practices / f"{practice_id}.md"
    if target.exists() and not force:
        raise click.ClickException(f"{target} already exists (use --force to overwrite)")
    template = (Path(__file__).parent / "templates" / "practice.md").read_text(encoding="utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(template.replace("{id}", practice_id).replace("{today}", dt.date.today().isoformat()),
                      encoding="utf-8")
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
        click.echo(json.dumps({"practices": len(result.practices), **{k: dict(v) for k, v in counted.items()},
                               "unlinked_guideline_items": gaps}, indent=2))
        return
    click.echo(f"{len(result.practices)} practices")
    names = {"region": vocab.REGIONS, "theme": vocab.THEMES, "rating": vocab.EVIDENCE_RATINGS,
             "target_group": vocab.TARGET_GROUPS}
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
        click.echo(f"target {state}: {target.label}: {target.count} of {len(result.practices)} (goal {target.required})")
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


def _search_filters(filter_values: dict, eng):
    from search import filters as search_filters

    raw = {k: list(v) if isinstance(v, tuple) else ([str(v)] if v is not None else []) for k, v in filter_values.items()}
    try:
        return search_filters.parse(raw, set(eng.doc.sections), eng.countries, eng.cities)
    except search_filters.ParameterError as exc:
        raise click.BadParameter(exc.detail, param_hint=search_filters.FILTERS_BY_NAME[exc.parameter].option) from None


def _echo_result(result) -> None:
    import re

    click.echo(f"model: {result.model}", err=True)
    for notice in result.notices:
        click.secho(notice, fg="yellow", err=True)
    if result.did_you_mean:
        click.echo(f"did you mean: {result.did_you_mean}", err=True)
    if result.expansions:
        click.echo(f"also searched for: {', '.join(result.expansions)}", err=True)
    for suggestion in result.suggested_filters:
        click.echo(f"narrow to {suggestion['label']}: --{suggestion['filter'].replace('_', '-')} {suggestion['value']}", err=True)
    click.echo(f"{result.total} practices ({result.mode})")
    for rank, hit in enumerate(result.hits, start=1):
        click.echo(f"{rank:2d}. {hit.title} - {hit.city}, {hit.country} [{hit.rating}]  ({hit.id})")
        snippet = re.sub(r"</?mark>", "*", hit.snippet)
        click.echo(f"    {hit.snippet_heading}: {snippet[:220]}")


def _search_options(command):
    from search import filters as search_filters

    command = search_filters.click_options(command)
    for name, kind in (("mode", "mode"), ("fusion", "fusion_method"), ("sort", "sort")):
        spec = search_filters.OPTIONS_BY_NAME[name]
        command = click.option(f"--{name}", kind, type=click.Choice(spec.choices), default=spec.default,
                               show_default=True, help=spec.help)(command)
    return command


@cli.command()
@click.argument("query", required=False, default="")
@_search_options
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100), help="Results to show.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.pass_context
def search(ctx, query, mode, fusion_method, sort, limit, as_json, **filter_values):
    """Search practices in your own words, in English, Spanish, French or Portuguese.

    Example: kb search "safer buses for women at night" --region latin-america-caribbean
    """
    import dataclasses

    from search.engine import QueryError

    eng = _engine(_paths(ctx))
    chosen = _search_filters(filter_values, eng)
    try:
        result = eng.search(query, chosen, mode=mode, per_page=limit, fusion_method=fusion_method, sort=sort)
    except QueryError as exc:
        raise click.BadParameter(exc.detail, param_hint=f"--{exc.parameter.replace('_', '-')}") from None
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(result), indent=2, ensure_ascii=False))
        return
    _echo_result(result)


@cli.command(name="eval")
@click.argument("queries", required=False, type=click.Path(exists=True, dir_okay=False))
@click.argument("qrels", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--set", "query_set", type=click.Choice(["dev", "heldout"]), default="dev", show_default=True,
              help="The shipped query set to use when QUERIES and QRELS are not given.")
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
@click.pass_context
def eval_command(ctx, queries, qrels, query_set, as_json):
    """Print nDCG@10, recall@20 and MRR for bm25, lexical, dense and hybrid search side by side.

    bm25 is the lexical leg without the thesaurus, the baseline of plain keyword search.

    QUERIES is a TSV with qid, type, query; QRELS a TSV with qid, practice_id, grade (0-2).
    Without them, a set shipped in search/data/eval/ is used: the development set (dev), or
    the held-out set written independently of the thesaurus and of the tuning (heldout).

    Example: kb eval --set heldout
    """
    from search import evaluate

    if bool(queries) != bool(qrels):
        raise click.UsageError("give both QUERIES and QRELS, or neither")
    queries = queries or evaluate.SETS[query_set] / "queries.tsv"
    qrels = qrels or evaluate.SETS[query_set] / "qrels.tsv"
    eng = _engine(_paths(ctx))
    try:
        report = evaluate.evaluate(eng, evaluate.read_queries(queries), evaluate.read_qrels(qrels, set(eng.facts)),
                                   modes=evaluate.MODES)
    except ValueError as exc:
        raise click.ClickException(str(exc))
    if as_json:
        click.echo(json.dumps(report, indent=2))
        return
    click.echo(f"model: {eng.model_description}")
    click.echo(f"queries: {queries}")
    click.echo(evaluate.format_table(report, modes=evaluate.MODES))


@cli.group()
def curator():
    """Manage curator accounts, who review lessons and proposed practices.

    Example: kb curator add amina
    """


def _community(ctx):
    from kb.community import Community

    return Community(_settings(ctx).community_location)


@curator.command(name="add")
@click.argument("name")
@click.password_option(help="The curator's password (asked twice, never shown; at least 10 characters).")
@click.pass_context
def curator_add(ctx, name, password):
    """Create a curator account with a hashed password (there is no default password).

    Example: kb curator add amina
    """
    try:
        _community(ctx).curators.add(name, password)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"curator '{name}' created; log in at /curator/login")


@curator.command(name="password")
@click.argument("name")
@click.password_option(help="The new password (asked twice; at least 10 characters).")
@click.pass_context
def curator_password(ctx, name, password):
    """Change a curator's password and end every session they have open.

    Example: kb curator password amina
    """
    try:
        _community(ctx).curators.set_password(name, password)
    except (ValueError, LookupError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"password of '{name}' changed; their open sessions were ended")


@cli.command(name="migrate")
@click.pass_context
def migrate_command(ctx):
    """Bring the community store (SQLite or PostgreSQL) to the latest schema version.

    The site and every command run this on start too; it is here for deployments that
    upgrade the shared store once, before starting the hosts.

    Example: kb migrate   (with KB_COMMUNITY_URL=postgresql://kb@db/kb for a shared store)
    """
    from kb.community import open_store
    from kb.community.migrations import LATEST, migrate

    store = open_store(_settings(ctx).community_location)
    try:
        applied = migrate(store)
    finally:
        store.close()
    click.echo(f"community store at version {LATEST}" + (f" (applied {', '.join(map(str, applied))})" if applied else ""))


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--debug", is_flag=True, help="Reload on code changes (development only).")
@click.pass_context
def serve(ctx, host, port, debug):
    """Serve the site for development (use gunicorn or waitress in production; see README).

    Example: kb serve --port 8000
    """
    from web import create_app

    settings = _settings(ctx)
    if not settings.base_url:  # links the site sends out point where this server listens
        settings = settings.updated(base_url=f"http://{host}:{port}")
    app = create_app(settings=settings)
    if builds_exist(settings.paths):
        click.echo(f"search model: {_engine(settings.paths).model_description}", err=True)
    click.echo(f"serving {settings.paths.database} on http://{host}:{port}/", err=True)
    app.run(host=host, port=port, debug=debug, threaded=True)


@cli.group()
def translations():
    """Keep the interface's translation catalogs (Spanish, French, Portuguese) complete.

    Example: kb translations check
    """


@translations.command(name="update")
def translations_update():
    """Extract every message into web/translations/messages.pot and merge it into each language's catalog.

    Example: kb translations update
    """
    from web import catalogs

    for lang, missing in catalogs.update().items():
        click.echo(f"{lang}: {missing} messages to translate")


@translations.command(name="check")
def translations_check():
    """List every message that a language's catalog lacks; exit 1 while any does.

    Example: kb translations check
    """
    from web import catalogs

    problems = catalogs.check()
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(1)
    click.echo("every message is translated into every language")
