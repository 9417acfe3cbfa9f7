"""A console page as plain values: its tables are shown on the page and downloaded as CSV
alike, so the file always says what the page says."""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Table:
    """Rows of cells under `columns`; a cell may be a user (linked on the page, named in
    the CSV), a number or text."""

    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence]


@dataclass
class ConsolePage:
    """One console page: headline figures, pictures (SVG, escaped by `charts`) and tables
    by the slug their CSV is downloaded under."""

    title: str
    intro: str
    figures: list[tuple[str, str]] = field(default_factory=list)
    pictures: list[tuple[str, str]] = field(default_factory=list)
    tables: dict[str, Table] = field(default_factory=dict)


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


@dataclass(frozen=True)
class Link:
    """A cell that links to another staff page (a community's); the CSV has its text."""

    text: str
    url: str


@dataclass(frozen=True)
class Alert:
    """A cell that should stand out on the page (a failed run); the CSV has its text."""

    text: str
    alert = True


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
    if isinstance(cell, Link | Alert):
        return cell.text
    return getattr(cell, "username", cell)
