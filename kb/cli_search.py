"""The `kb search` and `kb eval` commands: search in your own words, and measure search quality."""

from __future__ import annotations

import json

import click

from kb.cli import _engine, _paths, cli
from search.evaluate import SETS


def _search_filters(filter_values: dict, eng):
    from search import filters as search_filters

    raw = {
        k: list(v) if isinstance(v, tuple) else ([str(v)] if v is not None else []) for k, v in filter_values.items()
    }
    try:
        return search_filters.parse(raw, set(eng.doc.sections), eng.countries, eng.cities)
    except search_filters.ParameterError as exc:
        raise click.BadParameter(exc.detail, param_hint=search_filters.FILTERS_BY_NAME[exc.parameter].option) from None


def _echo_result(result) -> None:
    import html
    import re

    click.echo(f"model: {result.model}", err=True)
    for notice in result.notices:
        click.secho(notice, fg="yellow", err=True)
    if result.did_you_mean:
        click.echo(f"did you mean: {result.did_you_mean}", err=True)
    if result.expansions:
        click.echo(f"also searched for: {', '.join(result.expansions)}", err=True)
    for suggestion in result.suggested_filters:
        click.echo(
            f"narrow to {suggestion['label']}: --{suggestion['filter'].replace('_', '-')} {suggestion['value']}",
            err=True,
        )
    click.echo(f"{result.total} practices ({result.mode})")
    for rank, hit in enumerate(result.hits, start=1):
        click.echo(f"{rank:2d}. {hit.title} - {hit.city}, {hit.country} [{hit.rating}]  ({hit.id})")
        snippet = html.unescape(re.sub(r"</?mark>", "*", hit.snippet))  # the snippet is HTML for the site
        click.echo(f"    {hit.snippet_heading}: {snippet[:220]}")


def _search_options(command):
    from search import filter_adapters
    from search import filters as search_filters

    command = filter_adapters.click_options(command)
    for name, kind in (("mode", "mode"), ("fusion", "fusion_method"), ("sort", "sort")):
        spec = search_filters.OPTIONS_BY_NAME[name]
        command = click.option(
            f"--{name}", kind, type=click.Choice(spec.choices), default=spec.default, show_default=True, help=spec.help
        )(command)
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
@click.option(
    "--set",
    "query_set",
    type=click.Choice(list(SETS)),
    default="dev",
    show_default=True,
    help="The shipped query set to use when QUERIES and QRELS are not given.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
@click.pass_context
def eval_command(ctx, queries, qrels, query_set, as_json):
    """Print nDCG@10, recall@20 and MRR for bm25, lexical, dense and hybrid search side by side.

    bm25 is the lexical leg without the thesaurus, the baseline of plain keyword search.

    QUERIES is a TSV with qid, type, query; QRELS a TSV with qid, practice_id, grade (0-2).
    Without them, a set shipped in search/data/eval/ is used: dev, heldout and fresh (the sets
    weights were tuned on; each folder's README says who wrote it and when) or final (written by
    someone who never saw the engine, and run once, after the last change to ranking).

    Example: kb eval --set final
    """
    from search import evaluate

    if bool(queries) != bool(qrels):
        raise click.UsageError("give both QUERIES and QRELS, or neither")
    queries = queries or evaluate.SETS[query_set] / "queries.tsv"
    qrels = qrels or evaluate.SETS[query_set] / "qrels.tsv"
    eng = _engine(_paths(ctx))
    try:
        report = evaluate.evaluate(
            eng, evaluate.read_queries(queries), evaluate.read_qrels(qrels, set(eng.facts)), modes=evaluate.MODES
        )
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(report, indent=2))
        return
    click.echo(f"model: {eng.model_description}")
    click.echo(f"queries: {queries}")
    click.echo(evaluate.format_table(report, modes=evaluate.MODES))
