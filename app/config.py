"""Configuration from environment variables, with defaults that work with zero setup."""

import os
import secrets
from pathlib import Path

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """Use SECRET_KEY from the environment; otherwise keep a random one under instance/.

    A key that survives restarts keeps people logged in on `make run`; production sets
    the variable.
    """
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
    return path.read_text().strip()


class Config:
    SITE_NAME = os.environ.get("SITE_NAME", "Guildhall")
    SECRET_KEY = _secret_key()
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'guildhall.sqlite'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_AUTH = os.environ.get("RATELIMIT_AUTH", "10 per minute; 50 per hour")
    # Per signed-in person (per address when anonymous), POST requests only.
    RATELIMIT_POSTING = os.environ.get("RATELIMIT_POSTING", "6 per minute; 60 per hour")
    RATELIMIT_VOTING = os.environ.get("RATELIMIT_VOTING", "60 per minute")
    RATELIMIT_SEARCH = os.environ.get("RATELIMIT_SEARCH", "60 per minute")
    # For people with the `reduced_limits` privilege (1,000 points) and staff.
    RATELIMIT_POSTING_TRUSTED = os.environ.get(
        "RATELIMIT_POSTING_TRUSTED", "20 per minute; 300 per hour"
    )
    RATELIMIT_VOTING_TRUSTED = os.environ.get("RATELIMIT_VOTING_TRUSTED", "150 per minute")

    # Stripe. Without a secret key, membership runs in local test mode (no Stripe calls).
    STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
    STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
    STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")

    # The site's public host[:port] and scheme. Links in the emails the jobs send are
    # built from them, outside any request; requests for other hosts are still served.
    SERVER_NAME = os.environ.get("SERVER_NAME", "127.0.0.1:5000")
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "http")

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Guildhall <no-reply@guildhall.local>")
    MAIL_OUTBOX_DIR = os.environ.get("MAIL_OUTBOX_DIR", str(INSTANCE_DIR / "outbox"))
    # Share of each campaign's audience chosen but not sent: the control group the
    # uplift is measured against (percent, by a stable hash of person and campaign).
    OUTREACH_HOLDOUT_PERCENT = float(os.environ.get("OUTREACH_HOLDOUT_PERCENT", "10"))
    # Campaign emails handed to the mail server per second, to stay under relay limits.
    OUTREACH_SEND_RATE = float(os.environ.get("OUTREACH_SEND_RATE", "10"))

    EMAIL_TOKEN_MAX_AGE = 60 * 60 * 24 * 3  # verification links: 3 days
    RESET_TOKEN_MAX_AGE = 60 * 60  # password reset links: 1 hour

    MAX_TITLE_LENGTH = 150
    MAX_BODY_LENGTH = 50_000
    # Hold new members' posts for a moderator until one of them is published (spam check).
    MODERATION_REVIEW_FIRST_POSTS = _bool("MODERATION_REVIEW_FIRST_POSTS", False)
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    # Competition data files: 20 MB of CSV plus the form around it (app/web/uploads.py).
    UPLOAD_MAX_CONTENT_LENGTH = 21 * 1024 * 1024
    # Load tests: add X-Query-Count and Server-Timing headers to every response.
    QUERY_COUNT_HEADER = _bool("QUERY_COUNT_HEADER", False)
    THREADS_PER_PAGE = 30
    # Thread lists and search count this many rows at most, then say "10,000+".
    LIST_COUNT_CAP = 10_000
    SEARCH_COUNT_CAP = 1_000
    # The home page's popular tags, and each thread list's count, are recounted at most
    # this often (per process; app/web/kept.py).
    POPULAR_TAGS_SECONDS = 60
    LIST_COUNT_SECONDS = float(os.environ.get("LIST_COUNT_SECONDS", "60"))
    # Visitors who are not signed in share each page for this long (0: off), keeping at
    # most this many megabytes of pages in each worker (app/web/visitor_cache.py).
    VISITOR_PAGE_CACHE_SECONDS = float(os.environ.get("VISITOR_PAGE_CACHE_SECONDS", "10"))
    VISITOR_PAGE_CACHE_MB = float(os.environ.get("VISITOR_PAGE_CACHE_MB", "32"))
    POSTS_PER_PAGE = 50
    PROFILE_ITEMS_PER_PAGE = 20
