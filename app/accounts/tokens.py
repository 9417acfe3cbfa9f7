"""Signed, expiring links for email verification and password reset.

The tokens are itsdangerous timed signatures, one salt per purpose so a verification
link can never pass as a reset link. A reset token also carries a fingerprint of the
current password hash: once the password changes the fingerprint no longer matches, so
every reset link dies after one use. Pure functions: the caller passes the secret.
"""

import hashlib
import hmac

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.accounts.errors import InvalidToken

VERIFY_EMAIL = "guildhall.verify-email"
RESET_PASSWORD = "guildhall.reset-password"


def make_token(secret: str, purpose: str, payload: dict) -> str:
    return URLSafeTimedSerializer(secret, salt=purpose).dumps(payload)


def load_token(secret: str, purpose: str, token: str, *, max_age: int) -> dict:
    """The payload of a valid token; raises InvalidToken saying whether it expired."""
    serializer = URLSafeTimedSerializer(secret, salt=purpose)
    try:
        payload = serializer.loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise InvalidToken("This link has expired. Please ask for a new one.") from error
    except BadSignature as error:
        raise InvalidToken("This link is not valid. Please check you copied all of it.") from error
    if not isinstance(payload, dict):
        raise InvalidToken("This link is not valid. Please check you copied all of it.")
    return payload


def password_fingerprint(secret: str, password_hash: str) -> str:
    """A keyed digest of the password hash: changes with the password, reveals nothing."""
    return hmac.new(secret.encode(), password_hash.encode(), hashlib.sha256).hexdigest()[:32]
