import pytest

from app.forum.errors import ValidationError
from app.forum.validation import clean_body, clean_reason, clean_title, parse_tags


def _error(call, *args, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        call(*args, **kwargs)
    return info.value


def test_titles_are_trimmed_and_bounded():
    assert clean_title("  Reading   files in Python  ", max_length=150) == "Reading files in Python"
    assert clean_title("x" * 15, max_length=15) == "x" * 15
    assert "at least 15" in _error(clean_title, "x" * 14, max_length=150).message
    assert "150 characters (it has 151)" in _error(clean_title, "x" * 151, max_length=150).message
    assert _error(clean_title, "   ", max_length=150).field == "title"


def test_bodies_keep_leading_indentation_and_normalise_line_ends():
    assert clean_body("\r\n    code block\r\nmore text here ok\r\n\r\n", max_length=100) == (
        "    code block\nmore text here ok"
    )


def test_body_length_limits():
    assert clean_body("x" * 20, max_length=20) == "x" * 20
    assert "at least 20" in _error(clean_body, " x " * 6, max_length=100).message
    error = _error(clean_body, "x" * 50_001, max_length=50_000)
    assert (error.field, error.message) == ("body", "Keep it to 50,000 characters (you have 50,001).")


def test_tags_are_split_lowered_and_deduplicated_in_order():
    assert parse_tags("Python, flask  SQL,python", required=True) == ["python", "flask", "sql"]
    assert parse_tags("c++ c# node.js objective-c", required=True) == [
        "c++", "c#", "node.js", "objective-c"]


@pytest.mark.parametrize(
    ("text", "required", "message"),
    [
        ("", True, "Add at least one tag"),
        (" , ", True, "Add at least one tag"),
        ("a b c d e f", False, "at most 5 tags"),
        ("snake_case", False, "“snake_case” is not a valid tag"),
        ("x" * 36, False, "is not a valid tag"),
    ],
)
def test_bad_tags(text, required, message):
    error = _error(parse_tags, text, required=required)
    assert error.field == "tags" and message in error.message


def test_discussions_may_have_no_tags():
    assert parse_tags("", required=False) == []


def test_edit_reasons_are_optional_and_short():
    assert clean_reason("  fixed   typo ") == "fixed typo"
    assert _error(clean_reason, "x" * 201).field == "reason"
