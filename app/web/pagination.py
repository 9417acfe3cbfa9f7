"""Pagination over a SQLAlchemy select: two queries per page (the rows and a count).

Long lists count at most `count_cap` rows: on a large site counting every thread costs
more than the page itself, and nobody pages past the thousandth. Such a page says
"10,000+", links as far as the cap reaches, and goes on with Next while pages are full.
"""

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
    capped: bool = False  # there are more than `total` rows; counting stopped there
    pages_past_cap: bool = False  # and those rows may be paged to (Next while pages are full)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages or (
            self.capped and self.pages_past_cap and len(self.items) == self.per_page)

    @property
    def total_label(self) -> str:
        """The count for people: "1,234", or "10,000+" when counting stopped."""
        return f"{self.total:,}{'+' if self.capped else ''}"

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


def capped_count(stmt: Select, cap: int | None = None) -> tuple[int, bool]:
    """(rows, capped): counts at most `cap` rows, reading no more than `cap + 1`."""
    counted = stmt.order_by(None)
    if cap is not None:
        counted = counted.limit(cap + 1)
    total = db.session.scalar(select(func.count()).select_from(counted.subquery())) or 0
    if cap is not None and total > cap:
        return cap, True
    return total, False


def paginate(stmt: Select, *, page: int, per_page: int, scalars: bool = True,
             count_cap: int | None = None, total: tuple[int, bool] | None = None) -> Page:
    """One page of `stmt`'s rows; `total` is a (count, capped) the caller already has."""
    total, capped = total if total is not None else capped_count(stmt, count_cap)
    result = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page))
    items = list(result.unique().scalars() if scalars else result.unique())
    return Page(items=items, page=page, per_page=per_page, total=total, capped=capped,
                pages_past_cap=True)
