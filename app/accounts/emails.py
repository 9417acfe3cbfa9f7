"""The account emails: verification and password reset links, and moderators' notices.

A failed send is logged and reported as False rather than raised: the account change
that triggered it has already committed, and the person can ask for the link again.
"""

from flask import current_app, url_for

from app.accounts import tokens
from app.accounts.models import User
from app.outreach.mailer import MailError, render_email, send_email


def email_token(user: User) -> str:
    return tokens.make_token(
        current_app.config["SECRET_KEY"], tokens.VERIFY_EMAIL, {"uid": user.id, "email": user.email}
    )


def reset_token(user: User) -> str:
    secret = current_app.config["SECRET_KEY"]
    fingerprint = tokens.password_fingerprint(secret, user.password_hash)
    return tokens.make_token(secret, tokens.RESET_PASSWORD, {"uid": user.id, "fp": fingerprint})


def send_verification_email(user: User) -> bool:
    link = url_for("accounts.verify_email", token=email_token(user), _external=True)
    hours = current_app.config["EMAIL_TOKEN_MAX_AGE"] // 3600
    return send_account_email(user, f"Confirm your email for {_site()}", "verify_email", link=link, hours=hours)


def send_password_reset_email(user: User) -> bool:
    link = url_for("accounts.reset_password", token=reset_token(user), _external=True)
    minutes = current_app.config["RESET_TOKEN_MAX_AGE"] // 60
    return send_account_email(user, f"Reset your {_site()} password", "reset_password", link=link, minutes=minutes)


def send_account_email(user: User, subject: str, template: str, *, to: str | None = None,
                       **context) -> bool:
    """`to` overrides the account's address (an anonymised account has none left)."""
    text, html = render_email(template, user=user, **context)
    try:
        send_email(to or user.email, subject, text, html)
    except MailError:
        current_app.logger.exception("could not send %s email to user %s", template, user.id)
        return False
    return True


def _site() -> str:
    return current_app.config["SITE_NAME"]
