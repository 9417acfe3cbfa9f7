"""Interests: tags a person picks (at sign-up or on the home page) so that recommendations
have something to go on before they have a history."""

from sqlalchemy import delete, select

from app.extensions import db
from app.forum.models import Tag
from app.insights.models.recommendations import UserInterest

MAX_INTERESTS = 20


class InterestError(ValueError):
    """Refused input; `field` names the form field to blame."""

    def __init__(self, message: str, field: str = "interests") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def set_interests(user, tag_names) -> list[Tag]:
    """Replace `user`'s interests with the named existing tags (case-insensitive).

    Unknown names are refused, naming them, rather than silently dropped or created:
    interests steer recommendations only through tags that threads carry.
    """
    names = sorted({name.strip().lstrip("#").lower() for name in tag_names if name.strip()})
    if len(names) > MAX_INTERESTS:
        raise InterestError(f"Pick at most {MAX_INTERESTS} interests.")
    tags = list(db.session.scalars(select(Tag).where(Tag.name.in_(names)).order_by(Tag.name)))
    unknown = sorted(set(names) - {tag.name for tag in tags})
    if unknown:
        raise InterestError("No such tag: " + ", ".join(f"#{name}" for name in unknown))
    db.session.execute(delete(UserInterest).where(UserInterest.user_id == user.id))
    db.session.add_all(UserInterest(user_id=user.id, tag_id=tag.id) for tag in tags)
    db.session.commit()
    return tags


def interests_of(user) -> list[Tag]:
    if user is None or not user.is_authenticated:
        return []
    return list(db.session.scalars(
        select(Tag).join(UserInterest, UserInterest.tag_id == Tag.id)
        .where(UserInterest.user_id == user.id).order_by(Tag.name)))
