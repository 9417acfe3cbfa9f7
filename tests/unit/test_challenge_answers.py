"""Challenge answers: exact (hashed), case-insensitive and regex modes."""

import pytest

from app.competitions.answers import (
    MAX_ANSWER_LENGTH,
    AnswerError,
    check_answer,
    hash_answer,
    new_salt,
    prepare_answer,
    validate_pattern,
)

SALT = "f00d"


def test_exact_answers_are_stored_hashed_not_in_clear():
    stored = prepare_answer("exact", "flag{s3cret}", SALT)
    assert "s3cret" not in stored
    assert stored == hash_answer("flag{s3cret}", SALT)
    assert len(stored) == 64


def test_the_salt_changes_the_hash():
    assert hash_answer("flag", "a") != hash_answer("flag", "b")
    assert new_salt() != new_salt()


def test_exact_mode_ignores_surrounding_whitespace_but_not_case():
    stored = prepare_answer("exact", "flag{Abc}", SALT)
    assert check_answer("exact", stored, SALT, "  flag{Abc}\n")
    assert not check_answer("exact", stored, SALT, "flag{abc}")
    assert not check_answer("exact", stored, SALT, "flag{Abc} x")
    assert not check_answer("exact", stored, "other-salt", "flag{Abc}")


def test_case_insensitive_mode_casefolds_both_sides():
    stored = prepare_answer("case_insensitive", " Straße ", SALT)
    assert stored == "Straße"
    assert check_answer("case_insensitive", stored, SALT, "STRASSE")
    assert check_answer("case_insensitive", stored, SALT, " straße\t")
    assert not check_answer("case_insensitive", stored, SALT, "strase")


def test_regex_mode_must_match_the_whole_answer():
    stored = prepare_answer("regex", r"flag\{[0-9]+\}", SALT)
    assert check_answer("regex", stored, SALT, "flag{123}")
    assert check_answer("regex", stored, SALT, " flag{123} ")
    assert not check_answer("regex", stored, SALT, "xflag{123}")
    assert not check_answer("regex", stored, SALT, "flag{123}x")


def test_overlong_and_empty_submissions_are_wrong_in_every_mode():
    stored = prepare_answer("regex", "a+", SALT)
    assert check_answer("regex", stored, SALT, "a" * MAX_ANSWER_LENGTH)
    assert not check_answer("regex", stored, SALT, "a" * (MAX_ANSWER_LENGTH + 1))
    for mode in ("exact", "case_insensitive", "regex"):
        assert not check_answer(mode, prepare_answer(mode, ".*", SALT), SALT, "   ")


@pytest.mark.parametrize(("pattern", "message"), [
    ("flag{[0-9", "unterminated character set at position 5"),
    ("(abc", "missing ), unterminated subpattern at position 0"),
    ("*x", "nothing to repeat at position 0"),
])
def test_an_invalid_pattern_is_refused_with_the_reason(pattern, message):
    with pytest.raises(AnswerError) as caught:
        validate_pattern(pattern)
    assert str(caught.value) == f"The pattern is not a valid regular expression: {message}."


def test_an_overlong_pattern_is_refused():
    with pytest.raises(AnswerError, match="limit"):
        validate_pattern("a" * 1001)


def test_prepare_refuses_empty_answers_and_unknown_modes():
    with pytest.raises(AnswerError, match="empty"):
        prepare_answer("exact", "  ", SALT)
    with pytest.raises(AnswerError, match="no answer mode"):
        prepare_answer("fuzzy", "x", SALT)
    with pytest.raises(AnswerError, match="no answer mode"):
        check_answer("fuzzy", "x", SALT, "x")
