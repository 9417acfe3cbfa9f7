"""The spam check's rules on plain values: each fires on what it is for and stays quiet
on ordinary posts."""

from datetime import timedelta

import pytest

from app.moderation.spam_rules import (
    Draft,
    RecentPost,
    is_new_account,
    is_repeated,
    normalise_body,
    normalise_link,
    rule_fired,
    spreads_a_link,
    too_many_links,
)

ORDINARY = "Use a context manager so the file closes even when the loop raises."


def _links(n: int) -> str:
    return " ".join(f"https://example.com/page{k}" for k in range(n))


def test_more_than_five_links_is_too_many():
    assert not too_many_links(_links(5))
    assert too_many_links(_links(6))
    assert rule_fired(Draft(_links(6), 1), [], new_account=False) == "links"


def test_bodies_match_whatever_their_case_punctuation_and_spacing():
    assert normalise_body("Buy   NOW!!\n\ncheap pills.") == normalise_body("buy now, cheap pills")
    assert normalise_body("buy now") != normalise_body("buy later")


def test_the_third_copy_in_a_day_is_held_not_the_second():
    copy = RecentPost(thread_id=1, body=ORDINARY.upper())
    assert not is_repeated(ORDINARY, [copy])
    assert is_repeated(ORDINARY, [copy, RecentPost(thread_id=2, body=ORDINARY)])
    other = RecentPost(thread_id=2, body="Something else entirely, long enough.")
    assert not is_repeated(ORDINARY, [copy, other])
    assert rule_fired(Draft(ORDINARY, 3), [copy, copy], new_account=False) == "repeated"


def test_links_match_with_or_without_scheme_www_and_trailing_slash():
    assert normalise_link("https://www.Spam.example/offer/") == normalise_link(
        "spam.example/offer")
    assert normalise_link("http://spam.example/offer.") == "spam.example/offer"


def test_one_link_in_three_threads_is_a_spread():
    link = "Great deal at https://spam.example/offer today"
    in_one = [RecentPost(thread_id=1, body=link)]
    in_two = in_one + [RecentPost(thread_id=2, body=f"See www.spam.example/offer/ {ORDINARY}")]
    assert not spreads_a_link(Draft(link, 3), in_one)
    assert spreads_a_link(Draft(link, 3), in_two)
    assert spreads_a_link(Draft(link, None), in_two)  # a new thread is a third one
    assert not spreads_a_link(Draft(link, 2), in_two)  # only two threads so far
    assert not spreads_a_link(Draft(ORDINARY, 3), in_two)  # no link at all


def test_only_new_accounts_are_held_for_spreading_a_link():
    link = "https://spam.example/offer"
    recent = [RecentPost(thread_id=t, body=f"{link} {t}") for t in (1, 2)]
    assert rule_fired(Draft(link, 3), recent, new_account=True) == "link_spread"
    assert rule_fired(Draft(link, 3), recent, new_account=False) is None


@pytest.mark.parametrize(("level", "days", "new"), [
    (1, 30, True), (2, 3, True), (2, 7, False), (5, 100, False)])
def test_a_new_account_is_level_one_or_under_a_week_old(level, days, new):
    assert is_new_account(level=level, age=timedelta(days=days)) is new


def test_first_posts_are_held_only_with_the_setting_and_only_until_one_is_published():
    draft = Draft(ORDINARY, 1)
    assert rule_fired(draft, [], new_account=True, has_published=False) is None
    assert rule_fired(draft, [], new_account=True, review_first_posts=True,
                      has_published=False) == "first_posts"
    assert rule_fired(draft, [], new_account=True, review_first_posts=True,
                      has_published=True) is None
    assert rule_fired(draft, [], new_account=False, review_first_posts=True,
                      has_published=False) is None


def test_an_ordinary_post_passes():
    recent = [RecentPost(thread_id=1, body="An earlier answer about pandas merges.")]
    assert rule_fired(Draft(f"{ORDINARY} https://docs.python.org/3/", 2), recent,
                      new_account=True) is None
