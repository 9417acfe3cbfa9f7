"""The points table, the cap and floor arithmetic, levels and privileges: pure, no app."""

import ast
from pathlib import Path

import pytest

from app.gamification import levels, rules
from app.gamification.levels import LEVELS, PRIVILEGES, crossed, has_privilege, level_for, progress
from app.gamification.rules import DAILY_VOTE_CAP, RULES, capped_delta, edit_delta, vote_reasons

PURE_MODULES = ("rules.py", "levels.py", "streaks.py", "serial_votes.py")


@pytest.mark.parametrize("name", PURE_MODULES)
def test_the_rule_modules_import_nothing_from_flask_sqlalchemy_or_the_app(name):
    path = Path(rules.__file__).with_name(name)
    imported = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert not imported & {"flask", "sqlalchemy", "app", "flask_sqlalchemy"}


def test_the_defaults_follow_the_issue():
    points = {reason: rule.points for reason, rule in RULES.items()}
    assert points["question_upvoted"] == 5
    assert points["answer_upvoted"] == points["reply_upvoted"] == 10
    assert points["post_downvoted"] == -2
    assert points["downvoted_answer"] == -1
    assert points["answer_accepted"] == 15 and points["accepted_answer"] == 2
    assert points["edit_approved"] == 2
    assert points["daily_activity"] == 1 and points["streak"] == 10
    assert DAILY_VOTE_CAP == 200 and rules.EDIT_POINTS_CAP == 1000 and rules.FLOOR == 1


def test_only_vote_points_count_against_the_daily_cap():
    assert {
        "question_upvoted", "answer_upvoted", "reply_upvoted", "post_downvoted",
        "downvoted_answer",
    } == rules.VOTE_CAPPED_REASONS


def test_every_rule_has_a_label_for_the_history_page():
    assert all(rule.label and rule.reason for rule in RULES.values())
    assert all(len(reason) <= 32 for reason in RULES)  # PointTransaction.reason is String(32)


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("question", 1, [("author", "question_upvoted")]),
        ("answer", 1, [("author", "answer_upvoted")]),
        ("reply", 1, [("author", "reply_upvoted")]),
        ("question", -1, [("author", "post_downvoted")]),
        ("reply", -1, [("author", "post_downvoted")]),
        ("answer", -1, [("author", "post_downvoted"), ("voter", "downvoted_answer")]),
    ],
)
def test_vote_reasons(kind, value, expected):
    assert vote_reasons(post_kind=kind, value=value) == expected


def test_gains_from_votes_stop_at_the_daily_cap():
    assert capped_delta(10, total=500, vote_points_today=0, vote_capped=True) == 10
    assert capped_delta(10, total=500, vote_points_today=195, vote_capped=True) == 5
    assert capped_delta(10, total=500, vote_points_today=200, vote_capped=True) == 0
    assert capped_delta(10, total=500, vote_points_today=250, vote_capped=True) == 0
    assert capped_delta(15, total=500, vote_points_today=200, vote_capped=False) == 15


def test_losses_stop_at_the_floor_and_never_turn_into_gains():
    assert capped_delta(-2, total=50, vote_points_today=0, vote_capped=True) == -2
    assert capped_delta(-2, total=2, vote_points_today=0, vote_capped=True) == -1
    assert capped_delta(-2, total=1, vote_points_today=0, vote_capped=True) == 0
    assert capped_delta(-500, total=100, vote_points_today=0, vote_capped=False) == -99
    # A total somehow below the floor must not be "repaired" by a loss.
    assert capped_delta(-2, total=0, vote_points_today=0, vote_capped=False) == 0


def test_losses_are_not_limited_by_the_vote_cap():
    assert capped_delta(-2, total=50, vote_points_today=200, vote_capped=True) == -2


def test_edit_points_stop_at_the_lifetime_cap():
    assert edit_delta(edit_points_so_far=0) == 2
    assert edit_delta(edit_points_so_far=998) == 2
    assert edit_delta(edit_points_so_far=999) == 1
    assert edit_delta(edit_points_so_far=1000) == 0
    assert edit_delta(edit_points_so_far=1200) == 0


# -- levels --------------------------------------------------------------------------


def test_nine_levels_with_rising_thresholds_starting_at_the_starting_points():
    assert [lv.number for lv in LEVELS] == list(range(1, 10))
    assert LEVELS[0].points == rules.STARTING_POINTS
    assert all(a.points < b.points for a, b in zip(LEVELS, LEVELS[1:], strict=False))
    assert len({lv.name for lv in LEVELS}) == 9


@pytest.mark.parametrize(
    ("points", "number"),
    [(-5, 1), (0, 1), (1, 1), (14, 1), (15, 2), (49, 2), (50, 3), (124, 3), (125, 4),
     (2999, 7), (3000, 8), (9999, 8), (10000, 9), (10**7, 9)],
)
def test_level_for(points, number):
    assert level_for(points).number == number


def test_progress_within_a_level():
    p = progress(15 + (50 - 15) // 2)  # halfway from Learner (15) to Contributor (50)
    assert (p.level.number, p.next.number) == (2, 3)
    assert p.percent == 48 and p.points_to_next == 18


def test_progress_at_a_threshold_and_just_below_the_next():
    assert progress(50).percent == 0 and progress(50).points_to_next == 75
    just_below = progress(124)
    assert just_below.level.number == 3 and just_below.percent == 98
    assert just_below.points_to_next == 1


def test_progress_never_shows_full_before_the_level_is_reached():
    assert all(progress(p).percent < 100 for p in range(1, 10000))


def test_progress_at_the_top_level_is_full():
    top = progress(25000)
    assert top.level.number == 9 and top.next is None
    assert (top.percent, top.points_to_next) == (100, 0)


def test_progress_below_the_first_level():
    low = progress(0)
    assert low.level.number == 1 and low.percent == 0 and low.points_to_next == 15


def test_privilege_thresholds_follow_the_issue():
    assert {p.slug: p.points for p in PRIVILEGES} == {
        "vote_up": 15, "flag": 15, "post_links": 50, "offer_bounty": 75, "vote_down": 125,
        "create_tags": 300, "reduced_limits": 1000, "edit_any": 2000, "close_vote": 3000,
    }


@pytest.mark.parametrize("privilege", PRIVILEGES, ids=lambda p: p.slug)
def test_has_privilege_from_the_threshold_on(privilege):
    assert not has_privilege(privilege.points - 1, privilege.slug)
    assert has_privilege(privilege.points, privilege.slug)
    assert has_privilege(privilege.points + 1, privilege.slug)


def test_has_privilege_rejects_an_unknown_slug():
    with pytest.raises(KeyError):
        has_privilege(10**6, "fly")


def test_crossed_lists_what_was_first_reached_on_the_way_up():
    new_levels, new_privileges = crossed(10, 130)
    assert [lv.number for lv in new_levels] == [2, 3, 4]
    assert [p.slug for p in new_privileges] == [
        "vote_up", "flag", "post_links", "offer_bounty", "vote_down",
    ]


def test_crossed_counts_landing_exactly_on_a_threshold_but_not_starting_on_one():
    assert [lv.number for lv in crossed(14, 15)[0]] == [2]
    assert crossed(15, 16) == ([], [])


def test_crossed_is_empty_going_down_or_standing_still():
    assert crossed(130, 10) == ([], [])
    assert crossed(50, 50) == ([], [])


def test_next_level():
    assert levels.next_level(1).number == 2
    assert levels.next_level(9999).number == 9
    assert levels.next_level(10000) is None
