"""The kb command line through click's runner, on real files."""

import shutil

import click
import pytest
from click.testing import CliRunner

from kb.cli import cli


@pytest.fixture
def runner():
    return CliRunner()


def invoke(runner, *args, practices=None, data=None):
    base = []
    if practices:
        base += ["--practices", str(practices)]
    if data:
        base += ["--data", str(data)]
    return runner.invoke(cli, [*base, *args], catch_exceptions=False)


def all_commands(group=cli, prefix=""):
    for name, command in group.commands.items():
        yield prefix + name, command
        if isinstance(command, click.Group):
            yield from all_commands(command, prefix + name + " ")


def test_every_command_has_help_with_an_example():
    for name, command in all_commands():
        assert command.help, name
        assert "Example: kb " in command.help, name


def test_validate_ok_and_failing(runner, fixture_practices, broken_dir):
    ok = invoke(runner, "validate", "--strict", practices=fixture_practices)
    assert ok.exit_code == 0 and "3 entries read: 0 errors, 0 warnings" in ok.output
    bad = invoke(runner, "validate", practices=broken_dir)
    assert bad.exit_code == 1
    assert "unknown-term.md:13: error: themes: 'public-transprot' is not a theme we know" in bad.output


def test_validate_strict_fails_on_warnings_only(runner, broken_dir, tmp_path):
    folder = tmp_path / "p"
    folder.mkdir()
    shutil.copy(broken_dir / "source-without-url.md", folder)
    assert invoke(runner, "validate", practices=folder).exit_code == 0
    assert invoke(runner, "validate", "--strict", practices=folder).exit_code == 1


def test_build_refuses_broken_entries_and_keeps_the_old_database(runner, fixture_practices, broken_dir, tmp_path):
    data = tmp_path / "var"
    assert invoke(runner, "build", practices=fixture_practices, data=data).exit_code == 0
    published = (data / "current").resolve()
    before = (data / "current" / "kb.db").read_bytes()
    shutil.copy(broken_dir / "unknown-term.md", fixture_practices)
    result = invoke(runner, "build", practices=fixture_practices, data=data)
    assert result.exit_code == 1 and "build refused" in result.output
    assert (data / "current").resolve() == published
    assert (data / "current" / "kb.db").read_bytes() == before


def test_new_creates_a_template_that_names_every_field(runner, tmp_path):
    result = invoke(runner, "new", "lagos-market-safety", practices=tmp_path)
    assert result.exit_code == 0
    text = (tmp_path / "lagos-market-safety.md").read_text()
    assert "id: lagos-market-safety" in text and "## Transferability" in text
    assert invoke(runner, "new", "lagos-market-safety", practices=tmp_path).exit_code == 1
    assert invoke(runner, "new", "Bad Id", practices=tmp_path).exit_code == 2


def test_stats_and_vocab(runner, fixture_practices):
    result = invoke(runner, "stats", practices=fixture_practices)
    assert "3 practices" in result.output and "guideline items with no practice yet" in result.output
    themes = invoke(runner, "vocab", "themes")
    assert "public-transport" in themes.output and "26.c.a.g" in themes.output
    assert invoke(runner, "vocab", "nope").exit_code == 2


def test_coverage_fails_while_cells_are_empty(runner, fixture_practices):
    result = invoke(runner, "coverage", practices=fixture_practices)
    assert result.exit_code == 1
    assert "MISS" in result.output and "IV.C" in result.output
