"""The one door to email: every message the site sends leaves through `send_email`.

With MAIL_SERVER set, messages go over SMTP (STARTTLS and login when configured).
Without it they are written as .eml files into MAIL_OUTBOX_DIR, so on `make run` a
newcomer can open the verification link without any mail setup.
"""

import smtplib
import ssl
import uuid
from email import policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path

from flask import current_app, render_template

from app.timeutil import utcnow

SMTP_TIMEOUT_SECONDS = 15
# Fold headers only at RFC 5322's hard limit: folded at 78, a header made of one long URL
# (List-Unsubscribe) turns into RFC 2047 encoded words that mail clients do not read.
MESSAGE_POLICY = policy.default.clone(max_line_length=998)


class MailError(Exception):
    """The message could not be handed to the SMTP server or written to the outbox."""


def render_email(template: str, **context) -> tuple[str, str]:
    """The text and HTML bodies from templates/outreach/email/<template>.txt and .html."""
    text = render_template(f"outreach/email/{template}.txt", **context)
    html = render_template(f"outreach/email/{template}.html", **context)
    return text, html


def send_email(
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    """Build a text (and optional HTML) message and deliver it; raises MailError on failure."""
    message = build_message(to, subject, text, html, headers)
    config = current_app.config
    try:
        if config.get("MAIL_SERVER"):
            _deliver_smtp(message, config)
        else:
            path = write_outbox(message, Path(config["MAIL_OUTBOX_DIR"]))
            current_app.logger.info("Email to %s written to %s", to, path)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(f"could not send email to {to}: {error}") from error
    return message


def build_message(
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    message = EmailMessage(policy=MESSAGE_POLICY)
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=domain)
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message


def _deliver_smtp(message: EmailMessage, config) -> None:
    with open_smtp(config) as smtp:
        smtp.send_message(message)


def open_smtp(config) -> smtplib.SMTP:
    """A connection to MAIL_SERVER, with STARTTLS and login when configured."""
    smtp = smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]),
                        timeout=SMTP_TIMEOUT_SECONDS)
    try:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
    except BaseException:
        smtp.close()
        raise
    return smtp


def write_outbox(message: EmailMessage, outbox: Path) -> Path:
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / f"{utcnow():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
    path.write_bytes(bytes(message))
    return path
