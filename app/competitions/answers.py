"""Checking a challenge's answer (its flag) in one of three modes.

- "exact": only a salted HMAC-SHA256 of the answer is stored, so a leaked database or an
  organiser's screen does not give the flag away; compared in constant time.
- "case_insensitive": stored as typed, compared casefolded ("Straße" matches "STRASSE").
- "regex": the stored pattern must match the whole answer (`re.fullmatch`).

Every mode ignores whitespace around the submission, which people paste by accident.
Submissions longer than `MAX_ANSWER_LENGTH` are wrong without being looked at, so no
one can feed a pattern a megabyte. That does not tame a pattern that backtracks
exponentially (`(a+)+$`): Python's `re` has no time limit, so patterns are for trusted
organisers, and `validate_pattern` checks only that one compiles.
"""

import hashlib
import hmac
import re
import secrets

MODES = ("exact", "case_insensitive", "regex")
MAX_ANSWER_LENGTH = 1000
MAX_PATTERN_LENGTH = 1000


class AnswerError(ValueError):
    """An answer or pattern an organiser cannot save; the message says why."""


def new_salt() -> str:
    """A fresh per-challenge salt, so equal flags on two challenges hash differently."""
    return secrets.token_hex(16)


def hash_answer(answer: str, salt: str) -> str:
    """The stored form of an "exact" answer: HMAC-SHA256 keyed by the salt, as hex."""
    return hmac.new(salt.encode(), answer.strip().encode(), hashlib.sha256).hexdigest()


def validate_pattern(pattern: str) -> None:
    """Raise AnswerError, naming the fault and where it is, unless the pattern compiles."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise AnswerError(f"The pattern is {len(pattern):,} characters; the limit is "
                          f"{MAX_PATTERN_LENGTH:,}.")
    try:
        re.compile(pattern)
    except re.error as error:
        where = "" if error.pos is None else f" at position {error.pos}"
        raise AnswerError(f"The pattern is not a valid regular expression: "
                          f"{error.msg}{where}.") from None


def prepare_answer(mode: str, answer: str, salt: str) -> str:
    """What to store for an organiser's answer in `mode`; raises AnswerError if unusable."""
    _check_mode(mode)
    if not answer.strip():
        raise AnswerError("The answer is empty.")
    if mode == "exact":
        return hash_answer(answer, salt)
    if mode == "regex":
        validate_pattern(answer)
        return answer
    return answer.strip()


def check_answer(mode: str, stored: str, salt: str, submitted: str) -> bool:
    """Whether `submitted` is right; `stored` is what `prepare_answer` returned."""
    _check_mode(mode)
    submitted = submitted.strip()
    if not submitted or len(submitted) > MAX_ANSWER_LENGTH:
        return False
    if mode == "exact":
        return hmac.compare_digest(hash_answer(submitted, salt), stored)
    if mode == "case_insensitive":
        return hmac.compare_digest(submitted.casefold().encode(),
                                   stored.strip().casefold().encode())
    return re.fullmatch(stored, submitted) is not None


def _check_mode(mode: str) -> None:
    if mode not in MODES:
        raise AnswerError(f'There is no answer mode "{mode}"; use one of {", ".join(MODES)}.')
