"""Telling authors what happened to what they sent, through the mail setting (KB_MAIL).

'console' logs the message, 'file:PATH' appends it to a file (tests and staging read it there),
'smtp://host:port' sends it; unset sends nothing. A message that cannot be sent is logged and
never blocks a decision: the author's private status link shows the same.
"""

from __future__ import annotations

import fcntl
import logging
import smtplib
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlparse

log = logging.getLogger("kb.mail")


def message(sender: str, to: str, subject: str, body: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = sender, to, subject
    mail.set_content(body)
    return mail


def send(setting: str | None, mail: EmailMessage) -> bool:
    """Send one message by the configured means; False when nothing was sent."""
    if not setting or not mail["To"]:
        return False
    try:
        if setting == "console":
            log.warning("mail to %s: %s\n%s", mail["To"], mail["Subject"], mail.get_content())
        elif setting.startswith("file:"):
            path = Path(setting.removeprefix("file:"))
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "a", encoding="utf-8") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                handle.write(mail.as_string() + "\n\n")
        elif setting.startswith("smtp://"):
            where = urlparse(setting)
            with smtplib.SMTP(where.hostname, where.port or 25, timeout=10) as smtp:
                smtp.send_message(mail)
        else:
            log.error("KB_MAIL=%r is not console, file:PATH or smtp://host:port; nothing sent", setting)
            return False
    except OSError as exc:
        log.error("could not send mail to %s: %s", mail["To"], exc)
        return False
    return True
