"""The bundled inventory: every entry valid, sourced, linked, and the coverage matrix filled."""

from urllib.parse import urlparse

import pytest
from click.testing import CliRunner

from kb import coverage, guidelines, loader
from kb.cli import cli


@pytest.fixture(scope="module")
def inventory(bundled_practices):
    return loader.load(bundled_practices)


def test_every_entry_validates_strictly(inventory):
    assert [str(p) for p in inventory.problems] == []
    assert len(inventory.practices) == len(loader.entry_files(inventory.practices[0].path.rsplit("/", 1)[0]))


def test_ids_are_unique_and_match_file_names(inventory):
    ids = [p.id for p in inventory.practices]
    assert len(ids) == len(set(ids))
    assert all(p.path.endswith(f"{p.id}.md") for p in inventory.practices)


def test_every_source_is_checkable(inventory):
    for practice in inventory.practices:
        assert practice.meta["sources"], practice.id
        for source in practice.meta["sources"]:
            url = urlparse(source["url"])
            assert url.scheme in ("http", "https") and "." in url.netloc, (practice.id, source["url"])
            assert source["title"] and source["publisher"] and isinstance(source["year"], int), practice.id


def test_every_guideline_ref_resolves(inventory):
    doc = guidelines.load()
    for practice in inventory.practices:
        for ref in practice.meta["guideline_refs"]:
            assert ref in doc, (practice.id, ref)


def test_lineage_links_point_to_entries(inventory):
    ids = {p.id for p in inventory.practices}
    families = [p for p in inventory.practices if p.meta.get("adapted_from")]
    assert len(families) >= 5
    for practice in families:
        assert practice.meta["adapted_from"] in ids


def test_ratings_are_explained(inventory):
    for practice in inventory.practices:
        summary = practice.evidence["summary"]
        assert len(summary.split()) >= 8, practice.id
        if practice.rating in ("effective", "promising", "mixed", "no-effect", "harmful"):
            assert practice.evidence["design"] != "none", practice.id


def test_coverage_matrix_is_filled(inventory):
    cells = coverage.matrix(inventory.practices, guidelines.load())
    assert [f"{c.group} {c.key} {c.count}/{c.required}" for c in cells if not c.met] == []


def test_kb_coverage_exits_zero_on_the_bundled_inventory(bundled_practices):
    result = CliRunner().invoke(cli, ["--practices", str(bundled_practices), "coverage"])
    assert result.exit_code == 0, result.output
    assert "cells met" in result.output
