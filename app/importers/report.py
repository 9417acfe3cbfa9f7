"""What an import did, file by file: rows imported, already there, skipped and broken.

Kept apart from the importer so the summary can be built and printed (and tested)
without a database. Skipped rows are fine (beyond `--limit`, a kind of row the site has
no place for); broken rows are the dump's faults (a vote for a missing post, a bad
date), counted by reason and never fatal.

Pure: no Flask, no SQLAlchemy, no `app` imports.
"""

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class FileReport:
    name: str
    rows: int = 0
    imported: int = 0
    existing: int = 0
    skipped: Counter = field(default_factory=Counter)
    broken: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    missing: bool = False

    def skip(self, reason: str) -> None:
        self.skipped[reason] += 1

    def break_(self, reason: str) -> None:
        self.broken[reason] += 1

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    def progress_line(self) -> str:
        """'Posts: 1280 rows in 2.1 s (610/s)'."""
        if self.missing:
            return f"{self.name}: file not found, nothing read"
        return f"{self.name}: {self.rows} rows in {self.seconds:.1f} s ({self.rate:.0f}/s)"

    def summary_lines(self) -> list[str]:
        if self.missing:
            return [f"{self.name}: file not found"]
        lines = [
            f"{self.name}: {self.imported} imported, {self.existing} already there, "
            f"{sum(self.skipped.values())} skipped, {sum(self.broken.values())} broken"
        ]
        lines += [f"    skipped: {n} {reason}" for reason, n in sorted(self.skipped.items())]
        lines += [f"    broken: {n} {reason}" for reason, n in sorted(self.broken.items())]
        return lines


@dataclass
class ImportReport:
    source: str
    files: dict[str, FileReport] = field(default_factory=dict)
    points_rows: int = 0
    seconds: float = 0.0

    def file(self, name: str) -> FileReport:
        return self.files.setdefault(name, FileReport(name))

    @property
    def broken(self) -> int:
        return sum(sum(f.broken.values()) for f in self.files.values())

    def summary_lines(self) -> list[str]:
        lines = [f"Imported from {self.source} in {self.seconds:.1f} s:"]
        for report in self.files.values():
            lines += [f"  {line}" for line in report.summary_lines()]
        lines.append(f"  points: {self.points_rows} ledger row(s), one per person and reason")
        return lines
