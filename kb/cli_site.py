"""Commands around the site: serve it, manage curators, migrate the community store, keep translations complete."""

from __future__ import annotations

import sys

import click

from kb.cli import _engine, _settings, builds_exist, cli


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
    click.echo(
        f"community store at version {LATEST}" + (f" (applied {', '.join(map(str, applied))})" if applied else "")
    )


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
