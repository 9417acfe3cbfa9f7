from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, Index, Integer, String, Text, UniqueConstraint, or_
from sqlalchemy import false as sa_false
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.timeutil import utcnow


class Role(StrEnum):
    MEMBER = "member"
    MODERATOR = "moderator"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    # The all-time leaderboard reads totals in this order straight from the index.
    __table_args__ = (
        Index("ix_user_points_board", "points", "points_changed_at"),
        UniqueConstraint("source", "source_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(30))
    # Lower-cased username: uniqueness without regard to case on every database.
    username_key: Mapped[str] = mapped_column(String(30), unique=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    email_verified_at: Mapped[datetime | None] = mapped_column(DateTime)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(60), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    bio_html: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[str] = mapped_column(String(20), default=Role.MEMBER)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # Cached total of the points ledger (gamification); everyone starts at 1, the floor.
    points: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    points_changed_at: Mapped[datetime | None] = mapped_column(DateTime)
    hide_from_leaderboards: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=sa_false()
    )
    # Off: no personalised recommendations, and left out of engagement scoring and
    # communities; the person still sees what is popular.
    personalise: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sa_true())
    # Set by moderators; both simply run out with time (no job clears them).
    suspended_until: Mapped[datetime | None] = mapped_column(DateTime)  # cannot log in
    silenced_until: Mapped[datetime | None] = mapped_column(DateTime)   # read-only
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Imported from another site (app.importers): where from, and the id there. Such an
    # account has no password and no reachable email; it shows who wrote what.
    source: Mapped[str | None] = mapped_column(String(40))
    source_id: Mapped[int | None] = mapped_column(Integer)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def name(self) -> str:
        return self.display_name or self.username

    @property
    def initials(self) -> str:
        parts = [p for p in self.name.replace("_", " ").replace("-", " ").split() if p]
        letters = "".join(p[0] for p in parts[:2]) or self.username[:1]
        return letters.upper()

    @property
    def avatar_hue(self) -> int:
        """A stable hue per user, so initials avatars are told apart at a glance."""
        return (self.id * 47) % 360 if self.id else 210

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.MODERATOR, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_suspended(self) -> bool:
        return self.suspended_until is not None and self.suspended_until > utcnow()

    @property
    def is_silenced(self) -> bool:
        return self.silenced_until is not None and self.silenced_until > utcnow()

    @property
    def is_active(self) -> bool:  # Flask-Login: deleted accounts cannot log in
        return self.deleted_at is None

    def __repr__(self) -> str:
        return f"<User {self.username}>"


# The few people a leaderboard may leave out (hidden, deleted, or suspended now or once):
# boards drop them with a small anti-join on this index instead of reading every user. A
# query names this condition as is, so SQLite too sees that the index covers it.
MAYBE_UNLISTED = or_(User.hide_from_leaderboards, User.deleted_at.is_not(None),
                     User.suspended_until.is_not(None))
Index("ix_user_unlisted", User.id, postgresql_where=MAYBE_UNLISTED, sqlite_where=MAYBE_UNLISTED)
