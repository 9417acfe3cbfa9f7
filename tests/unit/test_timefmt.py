"""Relative times, the viewer's time zone, and reasons shown as sentences."""

from datetime import datetime, timedelta

import pytest

from app.web.templating import sentence
from app.web.timefmt import humanize_delta, to_local, valid_timezone

NOW = datetime(2025, 3, 10, 12, 0, 0)


@pytest.mark.parametrize(
    ("ago", "text"),
    [
        (timedelta(seconds=5), "just now"),
        (timedelta(seconds=59), "just now"),
        (timedelta(minutes=1), "1 min ago"),
        (timedelta(minutes=59), "59 min ago"),
        (timedelta(hours=1), "1 hour ago"),
        (timedelta(hours=5), "5 hours ago"),
        (timedelta(days=1), "yesterday"),
        (timedelta(days=4), "4 days ago"),
        (timedelta(days=29), "29 days ago"),
        (timedelta(days=45), "Jan 24, 2025"),
    ],
)
def test_humanize_delta(ago, text):
    assert humanize_delta(NOW - ago, now=NOW) == text


def test_a_moment_slightly_in_the_future_reads_as_just_now():
    assert humanize_delta(NOW + timedelta(seconds=3), now=NOW) == "just now"


def test_to_local_converts_naive_utc():
    assert to_local(NOW, "Europe/Paris").hour == 13
    assert to_local(datetime(2025, 7, 1, 12), "Europe/Paris").hour == 14
    assert to_local(NOW, "America/New_York").hour == 8


@pytest.mark.parametrize("name", ["Not/AZone", "", "../etc/passwd"])
def test_to_local_falls_back_to_utc(name):
    assert to_local(NOW, name).hour == 12


def test_valid_timezone():
    assert valid_timezone("Europe/Berlin")
    assert not valid_timezone("Mars/Olympus")


@pytest.mark.parametrize(("reason", "shown"), [
    ("Let tempers cool", "Let tempers cool."),
    ("Let tempers cool.", "Let tempers cool."),
    ("  Why?  ", "Why?"),
    ("See “the rules”", "See “the rules”"),
    ("", ""),
    (None, ""),
])
def test_a_moderators_reason_reads_as_one_sentence(reason, shown):
    assert sentence(reason) == shown
