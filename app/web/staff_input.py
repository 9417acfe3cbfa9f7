"""What every staff editor checks the same way: titles, addresses (slugs), free text, and
saving all or nothing. Courses, paths and competitions use these, so one rule reads
the same everywhere and a refused edit never reaches the table.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager

from app.extensions import db
from app.forum.errors import ValidationError

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_TITLE = 150


@contextmanager
def all_or_nothing() -> Iterator[None]:
    """Validate with autoflush off, and undo half-applied changes when input is refused,
    so a refused edit never reaches the table (nor the page showing the saved title)."""
    try:
        with db.session.no_autoflush:
            yield
    except ValidationError:
        db.session.rollback()
        raise


def clean_title(title: str | None) -> str:
    title = " ".join((title or "").split())
    if len(title) < 3:
        raise ValidationError("title", "Give it a title of at least 3 characters.")
    if len(title) > MAX_TITLE:
        raise ValidationError("title", f"Keep the title under {MAX_TITLE} characters.")
    return title


def clean_slug(slug: str, field: str) -> str:
    slug = slug.strip().lower()
    if not SLUG_RE.fullmatch(slug) or len(slug) > 80:
        raise ValidationError(field, "Use lower-case letters, digits and single hyphens "
                                     "(up to 80), like intro-to-sql.")
    return slug


def clean_text(text: str | None, field: str, max_length: int, *, required: bool = False) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if required and not text:
        raise ValidationError(field, "This cannot be empty.")
    if len(text) > max_length:
        raise ValidationError(field, f"Keep it under {max_length} characters.")
    return text
