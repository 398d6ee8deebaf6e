"""Checks of the evidence block and the sources: the rules of the evidence scale, enforced."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from kb import vocab
from kb.field_checks import MARKUP, _is_str, _type_name
from kb.problems import FieldChecker
from kb.schema import DESIGNS_FOR_RATING
from kb.words import did_you_mean


def _term(check: FieldChecker, field: str, value, vocabulary: dict, what: str):
    if not isinstance(value, str) or value not in vocabulary:
        check.error(
            field,
            f"'{value}' is not {what}{did_you_mean(value, vocabulary)}; choose one of: {', '.join(vocabulary)}.",
            value,
        )


def check_evidence(check: FieldChecker, value, data: dict) -> None:
    if not isinstance(value, dict):
        check.error("evidence", f"Evidence must have a rating, a design and a summary, got {_type_name(value)}.")
        return
    labels = {"rating": "The evidence rating", "design": "The evaluation design", "summary": "The evidence summary"}
    for key, label in labels.items():
        if value.get(key) in (None, ""):
            check.error(f"evidence.{key}", f"{label} is required.", line=check.line_of("evidence"))
    rating, design = value.get("rating"), value.get("design")
    if rating is not None:
        _term(check, "evidence.rating", rating, vocab.EVIDENCE_RATINGS, "an evidence rating")
    if design is not None:
        _term(check, "evidence.design", design, vocab.EVIDENCE_DESIGNS, "an evaluation design")
    if rating in DESIGNS_FOR_RATING and design in vocab.EVIDENCE_DESIGNS and design not in DESIGNS_FOR_RATING[rating]:
        designs = ", ".join(vocab.EVIDENCE_DESIGNS[d].label.lower() for d in DESIGNS_FOR_RATING[rating])
        check.error(
            "evidence.rating",
            f"A rating of '{vocab.EVIDENCE_RATINGS[rating].label}' cannot rest on "
            f"'{vocab.EVIDENCE_DESIGNS[design].label.lower()}'; it needs: {designs} (see the evidence scale).",
        )
    if value.get("summary") is not None and not _is_str(value.get("summary")):
        check.error("evidence.summary", f"The evidence summary must be text, got {_type_name(value['summary'])}.")
    for key in value:
        if key not in ("rating", "design", "summary", "outcomes", "registries"):
            check.warning(
                f"evidence.{key}",
                f"'{key}' is not part of evidence; known: rating, design, summary, outcomes, registries.",
            )
    _check_outcomes(check, value.get("outcomes"))
    _check_registries(check, value.get("registries"))


def _check_outcomes(check: FieldChecker, outcomes) -> None:
    if outcomes in (None, []):
        return
    if not isinstance(outcomes, list):
        check.error(
            "evidence.outcomes",
            f"Outcomes must be a list of {{outcome, direction, rating}}, got {_type_name(outcomes)}.",
        )
        return
    for i, item in enumerate(outcomes):
        field = f"evidence.outcomes[{i}]"
        if not isinstance(item, dict) or not _is_str(item.get("outcome")):
            check.error(
                field,
                "Each outcome needs a name ('outcome'), a direction and a rating.",
                line=check.line_of("outcomes"),
            )
            continue
        _term(check, f"{field}.direction", item.get("direction"), vocab.OUTCOME_DIRECTIONS, "a direction")
        _term(check, f"{field}.rating", item.get("rating"), vocab.EVIDENCE_RATINGS, "an evidence rating")


def _check_registries(check: FieldChecker, value) -> None:
    if value in (None, []):
        return
    if not isinstance(value, list):
        check.error(
            "evidence.registries", f"Registries must be a list of {{registry, rating, url}}, got {_type_name(value)}."
        )
        return
    for i, item in enumerate(value):
        field = f"evidence.registries[{i}]"
        if not isinstance(item, dict):
            check.error(field, "Each registry needs 'registry', 'rating' and 'url'.", line=check.line_of("registries"))
            continue
        _term(check, f"{field}.registry", item.get("registry"), vocab.REGISTRIES, "a registry we know")
        if not _is_str(item.get("rating")):
            check.error(
                f"{field}.rating", "Give the registry's own rating, in its words.", line=check.line_of("registries")
            )
        if not web_address(item.get("url")):
            check.error(
                f"{field}.url",
                f"'{item.get('url')}' is not a web address starting with http:// or https://.",
                line=check.line_of("registries"),
            )


def web_address(url) -> bool:
    """An http(s) address whose host is the one it shows: no user part ('evil@host'), no backslash."""
    text = str(url or "")
    if any(c in text for c in "\\ \t\r\n") or not text:
        return False
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and "@" not in parts.netloc


def check_sources(check: FieldChecker, value) -> None:
    if not isinstance(value, list):
        check.error("sources", f"Sources must be a list of {{title, publisher, year, url}}, got {_type_name(value)}.")
        return
    this_year = dt.date.today().year
    for i, source in enumerate(value):
        field = f"sources[{i}]"
        number = i + 1
        if not isinstance(source, dict):
            check.error(
                field,
                f"Source {number} must have a title, publisher, year and web address.",
                line=check.line_of("sources"),
            )
            continue
        line = check.line_of("title", source.get("title")) if source.get("title") else check.line_of("sources")
        for key, label in (("title", "title"), ("publisher", "publisher")):
            if not _is_str(source.get(key)):
                check.error(f"{field}.{key}", f"Source {number} needs a {label}.", line=line)
            elif MARKUP.search(source[key]):
                check.error(
                    f"{field}.{key}",
                    f"The {label} of source {number} must be plain text, without HTML or markdown.",
                    line=line,
                )
        year = source.get("year")
        if year is None:
            check.warning(f"{field}.year", f"Source {number} has no publication year.", line=line)
        elif not isinstance(year, int) or isinstance(year, bool):
            check.error(
                f"{field}.year",
                f"The year of source {number} must be a whole year such as 2012, got {year!r}.",
                line=line,
            )
        elif not 1800 <= year <= this_year:
            check.error(
                f"{field}.year",
                f"The year of source {number} ({year}) must be between 1800 and {this_year}.",
                line=line,
            )
        url = source.get("url")
        if not url:
            check.warning(
                f"{field}.url", f"Source {number} has no web address, so a reader cannot check it.", line=line
            )
        elif not web_address(url):
            check.error(
                f"{field}.url",
                f"'{url}' is not a web address starting with http:// or https:// (and showing its real host).",
                line=line,
            )
