"""Prediction and ground-truth CSV files: what is accepted, and what each rejection says."""

import hashlib
import time

import numpy as np
import pytest

from app.competitions.metrics import score
from app.competitions.prediction_file import (
    SubmissionFileError,
    parse_ground_truth,
    parse_predictions,
)

TRUTH = b"id,target\na,1\nb,0\nc,1\nd,0\n"


def _csv(*rows: str, header: str = "id,target") -> bytes:
    return "\n".join((header, *rows, "")).encode()


def _truth(kind: str = "probability"):
    return parse_ground_truth(TRUTH, kind)


def _reject(data: bytes, kind: str = "probability", **kwargs) -> SubmissionFileError:
    with pytest.raises(SubmissionFileError) as caught:
        parse_predictions(data, _truth(kind), kind, **kwargs)
    return caught.value


def test_predictions_come_back_in_ground_truth_order():
    data = _csv("c,0.3", "a,0.9", "d,0.1", "b,0.2")
    parsed = parse_predictions(data, _truth(), "probability")
    assert parsed.ids == ("a", "b", "c", "d")
    assert parsed.values.tolist() == [0.9, 0.2, 0.3, 0.1]
    assert parsed.sha256 == hashlib.sha256(data).hexdigest()


def test_the_ground_truth_keeps_its_order_and_values():
    truth = _truth()
    assert truth.ids == ("a", "b", "c", "d")
    assert truth.values.dtype == np.float64
    assert truth.values.tolist() == [1.0, 0.0, 1.0, 0.0]


def test_labels_stay_text():
    truth = parse_ground_truth(_csv("a,cat", "b,1"), "label")
    parsed = parse_predictions(_csv("b,1", "a,dog"), truth, "label")
    assert parsed.values.tolist() == ["dog", "1"]
    assert score("accuracy", truth.values, parsed.values) == 0.5


def test_a_bom_crlf_spaces_and_blank_lines_are_forgiven():
    data = b"\xef\xbb\xbfid, target\r\n a , 0.5\r\n\r\nb,0.5\r\nc,0.5\r\nd,0.5\r\n"
    assert parse_predictions(data, _truth(), "probability").values.tolist() == [0.5] * 4


def test_quoted_cells_are_read_as_csv():
    data = _csv('"a","0.5"', '"b",0.5', "c,0.5", "d,0.5")
    assert parse_predictions(data, _truth(), "probability").ids[0] == "a"


def test_a_file_over_the_limit_is_refused_before_parsing():
    error = _reject(b"\xff" * 2048, max_bytes=1024)
    assert error.row is None
    assert str(error) == "The file is 2.0 KB; the limit is 1.0 KB."


def test_the_default_limit_is_20_mb():
    with pytest.raises(SubmissionFileError, match="limit is 20.0 MB"):
        parse_ground_truth(b"x" * (20 * 1024 * 1024 + 1), "regression")


def test_text_that_is_not_utf8_names_its_row():
    error = _reject(b"id,target\na,0.5\nb,0.5\nc,caf\xe9\nd,0.5\n")
    assert error.row == 4
    assert "not UTF-8 text (first bad byte at row 4)" in str(error)


@pytest.mark.parametrize("header", ["id,prediction", "ID,target", "target,id", "id"])
def test_a_wrong_header_is_row_1(header):
    error = _reject(_csv("a,0.5", "b,0.5", "c,0.5", "d,0.5", header=header))
    assert error.row == 1
    assert str(error).startswith('Row 1 must be the header "id,target"')


def test_the_expected_header_is_a_parameter():
    truth = parse_ground_truth(_csv("a,1", "b,2", header="id,price"), "regression",
                               header=("id", "price"))
    assert truth.values.tolist() == [1.0, 2.0]


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\n\n  \n"])
def test_an_empty_file(data):
    error = _reject(data)
    assert error.row is None
    assert str(error).startswith("The file is empty")


def test_a_missing_id_is_named():
    error = _reject(_csv("a,0.5", "c,0.5", "d,0.5"))
    assert error.row is None
    assert str(error) == ('The file has 3 predictions but the test set has 4 ids; '
                          'the first id without one is "b".')


def test_a_header_alone_misses_every_id():
    assert "has 0 predictions" in str(_reject(_csv()))


def test_a_duplicate_id_names_both_rows():
    error = _reject(_csv("a,0.5", "b,0.5", "a,0.6", "c,0.5", "d,0.5"))
    assert error.row == 4
    assert str(error) == 'Row 4: the id "a" appears twice (first at row 2).'


def test_an_unknown_id_is_named():
    error = _reject(_csv("a,0.5", "b,0.5", "zz,0.5", "c,0.5", "d,0.5"))
    assert error.row == 4
    assert str(error) == 'Row 4: the id "zz" is not in the test set.'


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("c,", 'Row 4: the value is empty.'),
        (",0.5", "Row 4: the id is empty."),
        ("c,high", 'Row 4: "high" is not a number.'),
        ("c,nan", 'Row 4: "nan" is not a finite number.'),
        ("c,-inf", 'Row 4: "-inf" is not a finite number.'),
        ("c,1.5", "Row 4: 1.5 is not allowed; it must be a probability between 0 and 1."),
        ("c,-0.1", "Row 4: -0.1 is not allowed; it must be a probability between 0 and 1."),
        ("c,0.5,extra", "Row 4 has 3 values; each row needs 2 (id,target)."),
        ("c", "Row 4 has 1 value; each row needs 2 (id,target)."),
        ('c,"0.5', "Row 4 could not be read as CSV (unexpected end of data); check its quotes."),
    ],
)
def test_a_bad_row_says_what_is_wrong_and_where(row, message):
    error = _reject(_csv("a,0.5", "b,0.5", row, "d,0.5"))
    assert (str(error), error.row) == (message, 4)


def test_the_first_bad_row_is_the_one_reported():
    error = _reject(_csv("a,0.5", "b,x", "c,y", "d,0.5"))
    assert error.row == 3


@pytest.mark.parametrize("value", ["inf", "nan", ""])
def test_regression_predictions_must_be_finite_numbers(value):
    truth = parse_ground_truth(_csv("a,1.5", "b,-2"), "regression")
    with pytest.raises(SubmissionFileError) as caught:
        parse_predictions(_csv("a,1", f"b,{value}"), truth, "regression")
    assert caught.value.row == 3


def test_a_label_prediction_may_not_be_empty():
    truth = parse_ground_truth(_csv("a,cat"), "label")
    with pytest.raises(SubmissionFileError, match="Row 2: the value is empty"):
        parse_predictions(_csv("a, "), truth, "label")


def test_a_probability_metric_needs_a_truth_of_0_or_1():
    with pytest.raises(SubmissionFileError) as caught:
        parse_ground_truth(_csv("a,1", "b,0.5"), "probability")
    assert (str(caught.value), caught.value.row) == (
        "Row 3: 0.5 is not allowed; for this metric the target must be 0 or 1.", 3)


def test_the_ground_truth_refuses_duplicates_and_emptiness():
    with pytest.raises(SubmissionFileError,
                       match=r'Row 3: the id "a" appears twice \(first at row 2\)'):
        parse_ground_truth(_csv("a,1", "a,0"), "probability")
    with pytest.raises(SubmissionFileError, match="header but no rows"):
        parse_ground_truth(_csv(), "probability")


def test_100k_rows_parse_and_score_quickly():
    rng = np.random.default_rng(7)
    n = 100_000
    ids = [f"id{k}" for k in range(n)]
    y_true = rng.integers(0, 2, n)
    y_prob = rng.random(n).round(6)
    truth_csv = "id,target\n" + "".join(f"{i},{t}\n" for i, t in zip(ids, y_true, strict=True))
    order = rng.permutation(n)
    pred_csv = "id,target\n" + "".join(f"{ids[k]},{y_prob[k]}\n" for k in order)
    started = time.perf_counter()
    truth = parse_ground_truth(truth_csv.encode(), "probability")
    parsed = parse_predictions(pred_csv.encode(), truth, "probability")
    loss = score("log_loss", truth.values, parsed.values)
    elapsed = time.perf_counter() - started
    assert np.array_equal(parsed.values, y_prob)
    assert np.isfinite(loss)
    assert elapsed < 5  # about 0.3 s on the 2-CPU VM; this only catches a pathology


def test_long_cells_are_cut_short_in_messages():
    error = _reject(_csv("a,0.5", "b," + "9x" * 500, "c,0.5", "d,0.5"))
    assert str(error) == f'Row 3: "{"9x" * 19}9…" is not a number.'
