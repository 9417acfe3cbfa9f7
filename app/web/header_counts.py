"""The counts in the header (unread notifications, unread conversations): one query for
both, only on pages that show the header, nothing for anonymous visitors."""

from typing import NamedTuple

from flask import Flask
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.messages import services as messages
from app.notifications import services as notifications


class HeaderCounts(NamedTuple):
    notifications: int = 0
    messages: int = 0


def header_counts() -> HeaderCounts:
    if not current_user.is_authenticated:
        return HeaderCounts()
    user_id = current_user.id
    try:
        row = db.session.execute(select(
            notifications.unread_count_query(user_id).scalar_subquery(),
            messages.unread_count_query(user_id).scalar_subquery())).one()
    except SQLAlchemyError:
        return HeaderCounts()  # the error page of a failed transaction must still render
    return HeaderCounts(row[0] or 0, row[1] or 0)


def install_header_counts(app: Flask) -> None:
    """base.html calls `header_counts()` once, so only pages with the header pay for it."""
    app.context_processor(lambda: {"header_counts": header_counts})
