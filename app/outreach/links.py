"""Signed links in emails: tracked links back to our own pages, and one-click unsubscribe.

A tracked link carries the message it came in and a path on this site, never a full
address, so the redirect can only ever lead to our own pages. An unsubscribe link carries
the person and the kind of email and works without a login for as long as the secret
stays the same. Pure apart from reading the secret and building absolute URLs.
"""

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeSerializer

from app.outreach.preferences import KINDS
from app.web.security import is_safe_redirect

TRACKED = "guildhall.email-link"
UNSUBSCRIBE = "guildhall.unsubscribe"


class InvalidLink(ValueError):
    """A link that was tampered with, truncated or made for something else."""


def _serializer(purpose: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def is_own_path(path: str) -> bool:
    """A path on this site, by the same rule as any redirect, and exactly as given (no
    whitespace around it to be trimmed by a browser)."""
    return isinstance(path, str) and path == path.strip() and is_safe_redirect(path)


def tracked_url(message_id: int, path: str) -> str:
    """The absolute /r/<token> address that records a click on `message_id`, then goes
    to `path` (a path on this site, e.g. from `url_for`)."""
    if not is_own_path(path):
        raise ValueError(f"tracked links only lead to this site's pages, not {path!r}")
    token = _serializer(TRACKED).dumps({"m": message_id, "p": path})
    return url_for("outreach.follow", token=token, _external=True)


def read_tracked(token: str) -> tuple[int, str]:
    """(message id, path) of a tracked link; raises InvalidLink."""
    try:
        data = _serializer(TRACKED).loads(token)
    except BadSignature as error:
        raise InvalidLink("This link is not valid.") from error
    if (not isinstance(data, dict) or not isinstance(data.get("m"), int)
            or not is_own_path(data.get("p"))):
        raise InvalidLink("This link is not valid.")
    return data["m"], data["p"]


def unsubscribe_token(user_id: int, kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown kind of email {kind!r}")
    return _serializer(UNSUBSCRIBE).dumps({"u": user_id, "k": kind})


def unsubscribe_url(user_id: int, kind: str) -> str:
    return url_for("outreach.unsubscribe", token=unsubscribe_token(user_id, kind),
                   _external=True)


def unsubscribe_headers(user_id: int, kind: str) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe: mail clients show a button that POSTs to the link."""
    return {"List-Unsubscribe": f"<{unsubscribe_url(user_id, kind)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def read_unsubscribe(token: str) -> tuple[int, str]:
    """(user id, kind) of an unsubscribe link; raises InvalidLink."""
    try:
        data = _serializer(UNSUBSCRIBE).loads(token)
    except BadSignature as error:
        raise InvalidLink("This unsubscribe link is not valid.") from error
    if (not isinstance(data, dict) or not isinstance(data.get("u"), int)
            or data.get("k") not in KINDS):
        raise InvalidLink("This unsubscribe link is not valid.")
    return data["u"], data["k"]
