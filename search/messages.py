"""What a search says to its reader, as message templates: English for the API and CLI, and the
message id and values for the site, which shows them in the reader's language."""

from __future__ import annotations

TEMPLATES = {
    "truncated": "Your query was %(length)s characters long; only the first %(kept)s were searched.",
    "no_words": "Your query has no words we can search for. Try a few words that describe the problem.",
    "no_match": "No practice matches your words closely.",
    "corrected": "Nothing matched “%(query)s” closely; showing results for “%(corrected)s”.",
    "works_list": "Showing practices rated effective or promising. Add words about the problem to narrow the list.",
    "fails_list": "Showing practices rated harmful or no effect. Add words about the problem to narrow the list.",
}


class Notice(str):
    """A notice: reads as its English text, and carries its message id and values for translation."""

    code: str
    values: dict

    def __new__(cls, code: str, **values):
        notice = super().__new__(cls, TEMPLATES[code] % values if values else TEMPLATES[code])
        notice.code, notice.values = code, values
        return notice

    def __deepcopy__(self, memo):
        return self  # immutable, like the str it is (dataclasses.asdict copies results)
