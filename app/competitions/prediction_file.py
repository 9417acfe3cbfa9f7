"""Reading the CSV files of a prediction contest: the organiser's truth and entrants' guesses.

Both files are `id,target` rows under a header. The ground truth fixes the ids and their
order; a prediction file must hold every one of those ids exactly once, in any order, and
comes back as an array aligned with the truth, so scoring a subset is just
`metric(truth.values[mask], predictions.values[mask])`.

Every rejection is a `SubmissionFileError` whose message names the problem and the first
row that has it, counted as a spreadsheet counts them (the header is row 1), because the
person reading it will open the file and go to that row. Cells are stripped of
surrounding spaces; ids are compared as text ("01" and "1" are different ids). Wholly
blank lines are skipped but still counted, as a spreadsheet would show them.
"""

import csv
import hashlib
import io
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from app.competitions.metrics import Kind

DEFAULT_HEADER = ("id", "target")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


class SubmissionFileError(ValueError):
    """The file cannot be used; `row` is the first offending row, or None for the whole file."""

    def __init__(self, message: str, row: int | None = None):
        super().__init__(message)
        self.message = message
        self.row = row


@dataclass(frozen=True, eq=False)
class ParsedFile:
    ids: tuple[str, ...]  # the ground truth's ids, in its order
    values: np.ndarray  # str for label metrics, float64 otherwise; aligned with `ids`
    sha256: str  # of the raw bytes, to recognise a file uploaded twice


def parse_ground_truth(data: bytes, kind: Kind, *, header: tuple[str, str] = DEFAULT_HEADER,
                       max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedFile:
    """The organiser's answers. For probability metrics each target must be 0 or 1."""
    to_value = _value_reader(kind, truth=True)
    ids: list[str] = []
    values: list = []
    first_row: dict[str, int] = {}
    for row, row_id, raw in _rows(data, header, max_bytes):
        seen = first_row.setdefault(row_id, row)
        if seen != row:
            raise SubmissionFileError(
                f'Row {row}: the id "{_shown(row_id)}" appears twice (first at row {seen}).', row)
        ids.append(row_id)
        values.append(to_value(raw, row))
    if not ids:
        raise SubmissionFileError(f"The file has a header but no rows; it needs one row per "
                                  f"id under {_quoted(header)}.")
    return ParsedFile(tuple(ids), _array(kind, values), hashlib.sha256(data).hexdigest())


def parse_predictions(data: bytes, truth: ParsedFile, kind: Kind, *,
                      header: tuple[str, str] = DEFAULT_HEADER,
                      max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedFile:
    """An entrant's file, checked against the truth's ids and reordered to match them."""
    to_value = _value_reader(kind, truth=False)
    position = {row_id: i for i, row_id in enumerate(truth.ids)}
    values: list = [None] * len(truth.ids)
    seen_at = [0] * len(truth.ids)  # the row that gave each id its value; 0 = not yet
    count = 0
    for row, row_id, raw in _rows(data, header, max_bytes):
        i = position.get(row_id)
        if i is None:
            raise SubmissionFileError(
                f'Row {row}: the id "{_shown(row_id)}" is not in the test set.', row)
        if seen_at[i]:
            raise SubmissionFileError(
                f'Row {row}: the id "{_shown(row_id)}" appears twice (first at row {seen_at[i]}).',
                row)
        seen_at[i] = row
        values[i] = to_value(raw, row)
        count += 1
    if count < len(truth.ids):
        missing = truth.ids[seen_at.index(0)]
        raise SubmissionFileError(
            f"The file has {count:,} prediction{'' if count == 1 else 's'} but the test set "
            f'has {len(truth.ids):,} ids; the first id without one is "{_shown(missing)}".')
    return ParsedFile(truth.ids, _array(kind, values), hashlib.sha256(data).hexdigest())


def _rows(data: bytes, header: tuple[str, str], max_bytes: int) -> Iterator[tuple[int, str, str]]:
    """(row number, id, raw value) for each data row, after the size, text and header checks."""
    if len(data) > max_bytes:
        raise SubmissionFileError(
            f"The file is {_size(len(data))}; the limit is {_size(max_bytes)}.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # the line number; it is the row number unless a quoted cell holds a line break
        row = data.count(b"\n", 0, error.start) + 1
        raise SubmissionFileError(
            f"The file is not UTF-8 text (first bad byte at row {row}); save it as "
            f"CSV UTF-8 and upload it again.", row) from None
    if not text.strip():
        raise SubmissionFileError(
            f"The file is empty; it needs the header {_quoted(header)} and one row per id.")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    row = 0
    try:
        for row, cells in enumerate(reader, start=1):
            if row == 1:
                _check_header(cells, header)
            elif len(cells) == 2:
                row_id, raw = cells[0].strip(), cells[1].strip()
                if not row_id:
                    raise SubmissionFileError(f"Row {row}: the id is empty.", row)
                yield row, row_id, raw
            elif cells:
                plural = "" if len(cells) == 1 else "s"
                raise SubmissionFileError(f"Row {row} has {len(cells)} value{plural}; each "
                                          f"row needs 2 ({','.join(header)}).", row)
    except csv.Error as error:
        row += 1  # the reader failed on the row after the last one it returned
        raise SubmissionFileError(
            f"Row {row} could not be read as CSV ({error}); check its quotes.", row) from None


def _check_header(cells: list[str], header: tuple[str, str]) -> None:
    if tuple(cell.strip() for cell in cells) != header:
        raise SubmissionFileError(
            f'Row 1 must be the header {_quoted(header)}; it is "{_shown(",".join(cells))}".', 1)


def _value_reader(kind: Kind, *, truth: bool) -> Callable[[str, int], object]:
    """A function from a raw cell (and its row, for messages) to the value the metric takes."""
    if kind == "label":
        return _label
    if kind == "regression":
        return _number
    return _binary if truth else _probability


def _label(raw: str, row: int) -> str:
    if not raw:
        raise _bad_value(raw, row, "")
    return raw


def _number(raw: str, row: int) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise _bad_value(raw, row, "") from None
    if not math.isfinite(value):
        raise _bad_value(raw, row, "")
    return value


def _probability(raw: str, row: int) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise _bad_value(raw, row, "") from None
    if not 0.0 <= value <= 1.0:  # False for NaN too
        raise _bad_value(raw, row, "it must be a probability between 0 and 1")
    return value


def _binary(raw: str, row: int) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise _bad_value(raw, row, "") from None
    if value != 0.0 and value != 1.0:
        raise _bad_value(raw, row, "for this metric the target must be 0 or 1")
    return value


def _bad_value(raw: str, row: int, rule: str) -> SubmissionFileError:
    """The message for a value that failed its reader: the first check it fails, in order.

    The readers take the fast path (one `float()` and one comparison) and come here only
    on failure, so 100,000 good rows cost no more than they must.
    """
    if not raw:
        problem = "the value is empty"
    elif not _is_float(raw):
        problem = f'"{_shown(raw)}" is not a number'
    elif not math.isfinite(float(raw)):
        problem = f'"{_shown(raw)}" is not a finite number'
    else:
        problem = f"{_shown(raw)} is not allowed; {rule}"
    return SubmissionFileError(f"Row {row}: {problem}.", row)


def _is_float(raw: str) -> bool:
    try:
        float(raw)
    except ValueError:
        return False
    return True


def _array(kind: Kind, values: list) -> np.ndarray:
    return np.array(values, dtype=str if kind == "label" else np.float64)


def _shown(text: str, limit: int = 40) -> str:
    """User text as a message quotes it: cut short, so a runaway cell cannot flood the page."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quoted(header: tuple[str, str]) -> str:
    return f'"{",".join(header)}"'


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"
