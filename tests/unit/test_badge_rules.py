"""Badge rules: the catalogue's shape and each kind of rule, with no app and no database."""

import ast
from pathlib import Path

import pytest

from app.gamification import badges
from app.gamification.badges import (
    BADGES,
    BADGES_BY_SLUG,
    KINDS,
    TIERS,
    award_key,
    badges_earned,
    badges_on,
    tier_counts,
)


def _earned(facts) -> set[str]:
    return {b.slug for b in badges_earned(facts)}


def test_the_catalogue_has_at_least_24_badges_in_all_three_tiers():
    assert len(BADGES) >= 24
    assert len(BADGES_BY_SLUG) == len(BADGES), "slugs are unique"
    assert {b.tier for b in BADGES} == set(TIERS)
    assert {b.kind for b in BADGES} <= set(KINDS)
    for badge in BADGES:
        assert badge.metrics, f"{badge.slug} has no rule"
        assert badge.name and badge.description.endswith(".")
        assert len(badge.slug) <= 40  # BadgeAward.badge


def test_the_badges_the_issue_asks_for_are_there():
    names = {b.name for b in BADGES}
    assert {"Nice Question", "Good Question", "Great Question", "Nice Answer", "Good Answer",
            "Great Answer", "Popular Question", "Notable Question", "Famous Question",
            "Necromancer"} <= names
    for metric in (badges.QUESTIONS_ASKED, badges.ANSWERS_POSTED, badges.ACCEPTS_GIVEN,
                   badges.EDITS, badges.UPVOTES_CAST, badges.DOWNVOTES_CAST,
                   badges.COMPETITIONS_ENTERED, badges.MEMBERSHIPS, badges.COURSES_COMPLETED,
                   badges.BIO_FILLED):
        assert badges_on(metric), metric


@pytest.mark.parametrize(
    ("metric", "thresholds"),
    [
        (badges.QUESTION_SCORE, [10, 25, 100]),
        (badges.QUESTION_VIEWS, [1_000, 2_500, 10_000]),
        (badges.STREAK_DAYS, [7, 30, 100]),
    ],
)
def test_three_tiers_on_rising_thresholds(metric, thresholds):
    tiered = badges_on(metric)
    assert [b.at_least[metric] for b in tiered] == thresholds
    assert [b.tier for b in tiered] == ["bronze", "silver", "gold"]
    for badge in tiered:
        threshold = badge.at_least[metric]
        assert badge.slug in _earned({metric: threshold})
        assert badge.slug not in _earned({metric: threshold - 1})


def test_answer_score_badges_and_teacher():
    facts = {badges.ANSWER_SCORE: 10, badges.ANSWER_ACCEPTED: 0, badges.ANSWER_DELAY_DAYS: 0}
    assert _earned(facts) == {"nice-answer", "teacher"}
    assert _earned({**facts, badges.ANSWER_SCORE: 9}) == {"teacher"}
    assert _earned({**facts, badges.ANSWER_SCORE: 0}) == set()
    assert {"good-answer", "great-answer"} <= _earned({**facts, badges.ANSWER_SCORE: 100})


def test_a_rule_needs_every_one_of_its_metrics_measured():
    # A question's score says nothing about answers, even when it is high.
    assert _earned({badges.QUESTION_SCORE: 500}) == {
        "nice-question", "good-question", "great-question"
    }
    # Accepted-answer badges need the accept, not just the score.
    assert "enlightened" not in _earned({badges.ANSWER_SCORE: 50})
    assert _earned({badges.ANSWER_SCORE: 40, badges.ANSWER_ACCEPTED: 1}) >= {"enlightened", "guru"}


def test_necromancer_needs_sixty_days_and_a_score_of_five():
    def facts(days, score):
        return {badges.ANSWER_DELAY_DAYS: days, badges.ANSWER_SCORE: score,
                badges.ANSWER_ACCEPTED: 0}

    assert "necromancer" in _earned(facts(60, 5))
    assert "necromancer" not in _earned(facts(59, 50))
    assert "necromancer" not in _earned(facts(400, 4))


@pytest.mark.parametrize(
    ("score", "answers", "expected"),
    [
        (99, 500, set()),
        (100, 19, set()),
        (100, 20, {"tag-bronze"}),
        (400, 80, {"tag-bronze", "tag-silver"}),
        (1_000, 199, {"tag-bronze", "tag-silver"}),
        (1_000, 200, {"tag-bronze", "tag-silver", "tag-gold"}),
    ],
)
def test_tag_badges_need_both_score_and_answers(score, answers, expected):
    assert _earned({badges.TAG_SCORE: score, badges.TAG_ANSWERS: answers}) == expected


def test_tag_badges_are_repeatable_and_named_after_their_tag():
    bronze = BADGES_BY_SLUG["tag-bronze"]
    assert bronze.repeatable and bronze.named_after_subject
    assert bronze.display_name("python") == "python"
    assert bronze.display_name(None) == "Bronze tag badge"
    assert BADGES_BY_SLUG["nice-answer"].display_name("python") == "Nice Answer"


@pytest.mark.parametrize(
    ("rank", "expected"),
    [(1, {"podium", "champion"}), (2, {"podium"}), (3, {"podium"}), (4, set())],
)
def test_competition_places(rank, expected):
    assert _earned({badges.COMPETITION_RANK: rank}) == expected


def test_firsts_and_events():
    assert _earned({badges.QUESTIONS_ASKED: 1}) == {"student"}
    assert _earned({badges.UPVOTES_CAST: 1}) == {"supporter"}
    assert _earned({badges.DOWNVOTES_CAST: 1}) == {"critic"}
    assert _earned({badges.BIO_FILLED: 0}) == set()
    assert _earned({badges.BIO_FILLED: 1}) == {"autobiographer"}
    assert _earned({badges.MEMBERSHIPS: 1}) == {"patron"}
    assert _earned({badges.COURSES_COMPLETED: 1}) == {"graduate"}
    assert _earned({}) == set()


def test_award_keys_are_per_person_or_per_person_and_subject():
    assert award_key("student", 7, "thread", 3) == "student:7"
    assert award_key("nice-answer", 7, "post", 3) == "nice-answer:7:post:3"
    assert award_key("nice-answer", 7, "post", 4) != award_key("nice-answer", 7, "post", 3)


def test_tier_counts_sums_awards_gold_first():
    assert tier_counts([("bronze", 2), ("gold", 1), ("bronze", 1)]) == {
        "gold": 1, "silver": 0, "bronze": 3
    }
    assert list(tier_counts([])) == ["gold", "silver", "bronze"]


def test_the_rules_module_is_pure():
    tree = ast.parse(Path(badges.__file__).read_text())
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not {m for m in imported if m.split(".")[0] in {"flask", "sqlalchemy", "app"}}
