"""Pagination over a SQLAlchemy select: two queries per page (the rows and a count)."""

from dataclasses import dataclass

from flask import request
from sqlalchemy import Select, func, select

from app.extensions import db


@dataclass(frozen=True)
class Page:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    def window(self, size: int = 2) -> list[int | None]:
        """Page numbers to show, with None where a gap is elided: 1 … 4 5 [6] 7 8 … 20."""
        shown = {1, self.pages, *range(self.page - size, self.page + size + 1)}
        numbers = sorted(n for n in shown if 1 <= n <= self.pages)
        out: list[int | None] = []
        for prev, n in zip([None, *numbers], numbers, strict=False):
            if prev is not None and n - prev > 1:
                out.append(None)
            out.append(n)
        return out


def page_number() -> int:
    """The `page` query argument, clamped to 1 when missing or malformed."""
    page = request.args.get("page", 1, type=int) or 1
    return max(1, page)


def paginate(stmt: Select, *, page: int, per_page: int, scalars: bool = True) -> Page:
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    result = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page))
    items = list(result.unique().scalars() if scalars else result.unique())
    return Page(items=items, page=page, per_page=per_page, total=total or 0)
