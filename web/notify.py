"""Messages to authors: their private status link when they submit, and the curator's decision."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from kb import mail
from web.state import absolute_url, settings

WHAT = {"lesson": "lesson", "submission": "proposed practice"}


def status_link(token: str) -> str:
    return absolute_url(url_for("status.show", token=token))


def _send(to: str | None, subject: str, body: str) -> bool:
    if not to:
        return False
    return mail.send(settings().mail, mail.message(settings().mail_from, to, subject, body))


def received(kind: str, number: int, token: str, email: str | None) -> bool:
    return _send(
        email,
        _("We received your %(what)s (number %(number)s)", what=_(WHAT[kind]), number=number),
        _(
            "Thank you. A curator will review it. You can follow its status at this private link:\n\n%(link)s\n",
            link=status_link(token),
        ),
    )


def decision(kind: str, item: dict | None) -> bool:
    if not item:
        return False
    email = item.get("email") if kind == "lesson" else item.get("submitter_email")
    status = {"approved": _("approved and published"), "rejected": _("not published")}.get(
        item["status"], item["status"]
    )
    reason = _("\n\nThe curator's note: %(reason)s", reason=item["reason"]) if item.get("reason") else ""
    return _send(
        email,
        _("Your %(what)s was %(status)s", what=_(WHAT[kind]), status=status),
        _(
            "Your %(what)s number %(number)s was %(status)s.%(reason)s\n\nStatus: %(link)s\n",
            what=_(WHAT[kind]),
            number=item["id"],
            status=status,
            reason=reason,
            link=status_link(item["status_token"] or ""),
        ),
    )
