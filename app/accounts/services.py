"""Account use cases: register, log in and out, verify email, reset and change passwords,
edit the profile and settings, and the admin's role changes.

Each function is one transaction: it checks meaning (raising ValidationError naming the
field), writes, records its event and commits. Emails go out after the commit.
"""

import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from flask import current_app
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from app.accounts import emails, rules, tokens
from app.accounts.errors import InvalidToken, ValidationError
from app.accounts.models import Role, User
from app.competitions.lifecycle import when
from app.extensions import db
from app.gamification.invitations import accept_invitation
from app.insights.services import record
from app.moderation.audit import log_action
from app.outreach import preferences
from app.timeutil import utcnow
from app.web.markdown import render_markdown
from app.web.timefmt import valid_timezone

LOGIN_FAILED = "Invalid username or password."
MAX_DISPLAY_NAME = 60


@dataclass(frozen=True)
class Registration:
    username: str
    email: str
    password: str
    display_name: str = ""
    email_digest: bool = False


def register(form: Registration, *, invited_by: int | None = None) -> tuple[User, bool]:
    """Create a member, record it, then send the verification link.

    The flag says whether the email went out; the account stands either way, and
    settings offers to send the link again. `invited_by` is the member whose invite
    link brought them here; the invitation is recorded in the same transaction.
    """
    user = _create_user(form, role=Role.MEMBER, verified=False)
    record("register", user=user)
    accept_invitation(invited_by, user)
    db.session.commit()
    return user, emails.send_verification_email(user)


def create_admin(form: Registration) -> User:
    """An administrator from the command line: same rules, email taken as verified."""
    user = _create_user(form, role=Role.ADMIN, verified=True)
    db.session.commit()
    return user


def set_role(username: str, role: str) -> User:
    """The command line's role change (recorded as "system" in the audit log)."""
    if role not in set(Role):
        raise ValidationError("role", f"Role must be one of: {', '.join(Role)}.")
    user = find_active_user(username)
    if user is None:
        raise ValidationError("username", f"No user named {username!r}.")
    assign_role(user, role, actor=None, reason="from the command line")
    db.session.commit()
    return user


def assign_role(user: User, role: str, *, actor, reason: str) -> bool:
    """Give `user` the role, audited; False when they already have it. Does not commit:
    the caller checks who may do it (the command line, or an admin on the web)."""
    if role not in set(Role):
        raise ValidationError("role", f"Role must be one of: {', '.join(Role)}.")
    before = str(user.role)
    if before == role:
        return False
    user.role = role
    log_action(actor, "set_role", target=user, target_user=user, reason=reason,
               before={"role": before}, after={"role": role})
    return True


def log_in(identifier: str, password: str) -> User:
    """The user for a username or email and password; one vague error for every failure
    but a suspension, which the right password is told about.

    A missing account still costs one hash check, so response time does not tell
    whether an address is registered.
    """
    user = _find_by_login(identifier)
    if user is None:
        _dummy_check(password)
        raise ValidationError("password", LOGIN_FAILED)
    if not user.check_password(password):
        raise ValidationError("password", LOGIN_FAILED)
    if user.is_suspended:  # said only to someone who knows the password
        raise ValidationError(
            "password", f"This account is suspended until {when(user.suspended_until)}.")
    user.last_seen_at = utcnow()
    record("login", user=user)
    db.session.commit()
    return user


def log_out(user: User) -> None:
    record("logout", user=user)
    db.session.commit()


def verify_email(token: str) -> tuple[User, bool]:
    """Mark the address in the link as verified; the flag says whether it was new."""
    payload = _load(tokens.VERIFY_EMAIL, token, "EMAIL_TOKEN_MAX_AGE")
    user = _active_user_by_id(payload.get("uid"))
    if user is None or user.email != payload.get("email"):
        raise InvalidToken("This link is for an address that is no longer on any account.")
    if user.email_verified_at is not None:
        return user, False
    user.email_verified_at = utcnow()
    record("verify_email", user=user)
    db.session.commit()
    return user, True


def resend_verification(user: User) -> bool:
    """Send a fresh link; False when sending failed. A verified address needs none."""
    if user.email_verified_at is not None:
        raise ValidationError(None, "Your email address is already verified.")
    return emails.send_verification_email(user)


def request_password_reset(email: str) -> None:
    """Mail a reset link if the address belongs to a live account; silent otherwise,
    so the answer never tells whether an address is registered."""
    user = db.session.scalar(
        select(User).where(User.email == rules.normalize_email(email), User.deleted_at.is_(None))
    )
    if user is not None:
        emails.send_password_reset_email(user)


def user_for_reset_token(token: str) -> User:
    """The account a reset link is for; raises InvalidToken once the password changed."""
    payload = _load(tokens.RESET_PASSWORD, token, "RESET_TOKEN_MAX_AGE")
    user = _active_user_by_id(payload.get("uid"))
    expected = (
        tokens.password_fingerprint(current_app.config["SECRET_KEY"], user.password_hash)
        if user is not None
        else ""
    )
    if user is None or not hmac.compare_digest(expected, str(payload.get("fp", ""))):
        raise InvalidToken("This link has already been used. Please ask for a new one.")
    return user


def reset_password(token: str, password: str) -> User:
    user = user_for_reset_token(token)
    _check_password(user, password, field="password")
    user.set_password(password)
    record("password_reset", user=user)
    db.session.commit()
    return user


def change_password(user: User, current: str, new: str) -> None:
    if not user.check_password(current):
        raise ValidationError("current_password", "That is not your current password.")
    _check_password(user, new, field="new_password")
    user.set_password(new)
    record("settings_update", user=user, data={"changed": ["password"]})
    db.session.commit()


def update_profile(user: User, *, display_name: str, bio: str) -> bool:
    """Save name and bio; the bio's HTML is rendered once here, not on every view.

    Returns False, writing nothing, when nothing changed.
    """
    display_name = " ".join(display_name.split())
    if len(display_name) > MAX_DISPLAY_NAME:
        raise ValidationError("display_name", f"Use at most {MAX_DISPLAY_NAME} characters.")
    bio = bio.strip()
    changed = [
        name
        for name, old, new in (("display_name", user.display_name, display_name), ("bio", user.bio, bio))
        if old != new
    ]
    if not changed:
        return False
    user.display_name = display_name
    if "bio" in changed:
        user.bio = bio
        user.bio_html = render_markdown(bio)
    record("profile_update", user=user, data={"changed": changed})
    db.session.commit()
    return True


def update_settings(
    user: User, *, timezone: str, hide_from_leaderboards: bool, personalise: bool = True,
) -> None:
    """Save the preferences; hiding from leaderboards takes effect on the next page load
    (the boards filter on the flag, nothing is cached). Turning personalisation off takes
    effect at once too: pages stop reading stored recommendations for this person, and
    the next insights runs leave them out."""
    if not valid_timezone(timezone):
        raise ValidationError("timezone", "Choose a time zone from the list.")
    user.timezone = timezone
    user.hide_from_leaderboards = hide_from_leaderboards
    user.personalise = personalise
    record(
        "settings_update",
        user=user,
        data={"timezone": timezone, "hide_from_leaderboards": hide_from_leaderboards,
              "personalise": personalise},
    )
    db.session.commit()


def find_active_user(username: str) -> User | None:
    return db.session.scalar(
        select(User).where(
            User.username_key == rules.username_key(username), User.deleted_at.is_(None)
        )
    )


def mark_seen(user: User, now: datetime, *, every: timedelta) -> bool:
    """Move `user`'s last_seen_at to `now`, at most once per `every`; returns whether it
    moved. The condition sits in the UPDATE too, so of two requests at once only one
    writes. Does not commit: the caller commits it with what the visit marks."""
    if user.last_seen_at is not None and now - user.last_seen_at < every:
        return False
    moved = db.session.execute(
        update(User)
        .where(User.id == user.id,
               or_(User.last_seen_at.is_(None), User.last_seen_at <= now - every))
        .values(last_seen_at=now)
    )
    return moved.rowcount == 1


def _create_user(form: Registration, *, role: str, verified: bool) -> User:
    """Validate and insert (flushed, not committed); a lost race on a unique column
    becomes the same field error as a plain duplicate."""
    username = form.username.strip()
    email = rules.normalize_email(form.email)
    display_name = " ".join(form.display_name.split())
    error = rules.username_error(username)
    if error:
        raise ValidationError("username", error)
    if len(display_name) > MAX_DISPLAY_NAME:
        raise ValidationError("display_name", f"Use at most {MAX_DISPLAY_NAME} characters.")
    _check_unique(rules.username_key(username), email)
    error = rules.password_error(form.password, username=username, email=email)
    if error:
        raise ValidationError("password", error)
    user = User(
        username=username,
        username_key=rules.username_key(username),
        email=email,
        display_name=display_name,
        role=role,
        email_verified_at=utcnow() if verified else None,
        last_seen_at=utcnow(),
    )
    user.set_password(form.password)
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        _check_unique(user.username_key, email)
        raise
    if form.email_digest:
        preferences.set_mode(user.id, preferences.REENGAGEMENT, preferences.SUBSCRIBED)
    return user


def _check_unique(key: str, email: str) -> None:
    taken = db.session.execute(
        select(User.username_key, User.email).where((User.username_key == key) | (User.email == email))
    ).all()
    if any(row.username_key == key for row in taken):
        raise ValidationError("username", "That username is taken. Please pick another.")
    if taken:
        raise ValidationError("email", "An account with that email already exists. Try logging in.")


def _check_password(user: User, password: str, *, field: str) -> None:
    error = rules.password_error(password, username=user.username, email=user.email)
    if error:
        raise ValidationError(field, error)


def _find_by_login(identifier: str) -> User | None:
    identifier = identifier.strip()
    if "@" in identifier:
        condition = User.email == rules.normalize_email(identifier)
    else:
        condition = User.username_key == rules.username_key(identifier)
    return db.session.scalar(select(User).where(condition, User.deleted_at.is_(None)))


def _active_user_by_id(user_id) -> User | None:
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    return user if user is not None and not user.is_deleted else None


def _load(purpose: str, token: str, max_age_key: str) -> dict:
    config = current_app.config
    return tokens.load_token(config["SECRET_KEY"], purpose, token, max_age=config[max_age_key])


@cache
def _dummy_hash() -> str:
    return generate_password_hash("not a real password", method="scrypt")


def _dummy_check(password: str) -> None:
    check_password_hash(_dummy_hash(), password)
