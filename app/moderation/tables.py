"""A console table as plain values, shown on its page and downloaded as CSV alike, so the
file always says what the page says."""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    """Rows of cells under `columns`; a cell may be a user (linked on the page, named in
    the CSV), a number or text."""

    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence]


@dataclass(frozen=True)
class StaffLink:
    """A member cell that links to their page for moderators (/staff/users/<name>)
    rather than their public profile; the CSV names them alike."""

    user: object
    staff_page = True

    @property
    def username(self) -> str:
        return self.user.username

    @property
    def name(self) -> str:
        return self.user.name


def csv_text(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.columns)
    writer.writerows([_plain(cell) for cell in row] for row in table.rows)
    return out.getvalue()


def _plain(cell):
    if cell is None:
        return ""
    if isinstance(cell, float):
        return f"{cell:.4g}"
    return getattr(cell, "username", cell)
