"""Category administration: create, edit and reorder, for admins only.

Each function is one use case and one transaction. Meaning is checked here (slug format
and uniqueness, colour format), so a colour can be written into the generated
stylesheet without escaping: only `#rrggbb` ever reaches the table.
"""

import re
from dataclasses import dataclass

from sqlalchemy import select

from app.database import next_position
from app.extensions import db
from app.forum.errors import PermissionDenied, ValidationError
from app.forum.listing import categories_in_order
from app.forum.models import Category
from app.forum.permissions import can_manage_categories
from app.forum.slugs import slugify
from app.moderation.audit import log_action

SLUG_RE = re.compile(r"[a-z0-9-]{2,60}")
COLOR_RE = re.compile(r"#[0-9a-fA-F]{6}")
MAX_NAME = 60
MAX_DESCRIPTION = 500


@dataclass(frozen=True)
class CategoryInput:
    name: str
    slug: str
    description: str = ""
    color: str = "#3b82f6"
    member_only: bool = False


def require_manager(actor) -> None:
    if not can_manage_categories(actor):
        raise PermissionDenied("Only administrators can manage categories.")


def create_category(actor, data: CategoryInput) -> Category:
    """Add a category at the end of the order."""
    require_manager(actor)
    category = Category()
    _apply(category, data)
    category.position = next_position(Category.position)
    db.session.add(category)
    log_action(actor, "create_category", target=category, after=_described(category))
    db.session.commit()
    return category


def update_category(actor, category: Category, data: CategoryInput) -> Category:
    require_manager(actor)
    before = _described(category)
    _apply(category, data)
    after = _described(category)
    changed = [key for key in after if after[key] != before[key]]
    if changed:
        log_action(actor, "edit_category", target=category,
                   before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    db.session.commit()
    return category


def move_category(actor, category: Category, direction: str) -> None:
    """Swap a category with its neighbour. Positions are renumbered 0..n-1 first, so
    ties left by older data cannot make a move a no-op."""
    require_manager(actor)
    if direction not in ("up", "down"):
        raise ValidationError("direction", "Move a category up or down.")
    ordered = categories_in_order()
    index = ordered.index(category)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    before = category.position
    for position, item in enumerate(ordered):
        item.position = position
    log_action(actor, "move_category", target=category, before={"position": before},
               after={"position": category.position})
    db.session.commit()


def _described(category: Category) -> dict:
    """What an admin sets on a category, as the audit log records it."""
    return {name: getattr(category, name) for name in CategoryInput.__dataclass_fields__}


def _apply(category: Category, data: CategoryInput) -> None:
    """Validate every field before changing any, so a failed save leaves no half edit."""
    name = data.name.strip()
    slug = (data.slug.strip() or slugify(name, max_length=60)).lower()
    color = data.color.strip().lower()
    description = data.description.strip()
    if not name:
        raise ValidationError("name", "Give the category a name.")
    if len(name) > MAX_NAME:
        raise ValidationError("name", f"Keep the name under {MAX_NAME} characters.")
    if not SLUG_RE.fullmatch(slug):
        raise ValidationError(
            "slug", "Use 2 to 60 lower-case letters, digits or hyphens, e.g. web-dev."
        )
    same_slug = select(Category.id).where(Category.slug == slug)
    if category.id is not None:
        same_slug = same_slug.where(Category.id != category.id)
    if db.session.scalar(same_slug) is not None:
        raise ValidationError("slug", "Another category already uses this slug.")
    if not COLOR_RE.fullmatch(color):
        raise ValidationError("color", "Use a colour in the form #rrggbb, e.g. #3b82f6.")
    if len(description) > MAX_DESCRIPTION:
        raise ValidationError(
            "description", f"Keep the description under {MAX_DESCRIPTION} characters."
        )
    category.name = name
    category.slug = slug
    category.color = color
    category.description = description
    category.member_only = data.member_only


def category_stylesheet() -> str:
    """One `.cat-<id>` rule per category carrying its colour: how colours reach pages
    under a CSP without inline styles. Colours are re-checked so a bad row is skipped
    rather than written into CSS."""
    rules = [
        f".cat-{category.id}{{--cat-color:{category.color}}}"
        for category in categories_in_order()
        if COLOR_RE.fullmatch(category.color or "")
    ]
    return "\n".join(rules) + "\n"
