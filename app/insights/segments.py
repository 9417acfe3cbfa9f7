"""Which segment a user is in: the rules in `engagement_rules`, as a pure function."""

import math

from app.insights import engagement_rules as rules


def segment_of(*, account_age_days: float, idle_days: float, active_weeks: int,
               score: float, score_before: float) -> str:
    """The first matching segment of new, dormant, at-risk, loyal, active.

    `idle_days` is inf for someone with no activity at all; `score_before` is the score
    `AT_RISK_WINDOW_DAYS` ago.
    """
    if account_age_days < rules.NEW_DAYS:
        return "new"
    if math.isinf(idle_days) or idle_days > rules.DORMANT_DAYS:
        return "dormant"
    if idle_days >= rules.AT_RISK_IDLE_DAYS or has_fallen(score, score_before):
        return "at-risk"
    if active_weeks >= rules.LOYAL_WEEKS:
        return "loyal"
    return "active"


def has_fallen(score: float, score_before: float) -> bool:
    """A fall of `AT_RISK_DROP` or more from a score that was worth watching (the
    tolerance keeps a fall of exactly 40 % from missing by a rounding error)."""
    return (score_before >= rules.AT_RISK_MIN_SCORE
            and score_before - score >= rules.AT_RISK_DROP * score_before - 1e-9)


def assign_segments(account_age_days, idle_days, active_weeks, scores, scores_before) -> list[str]:
    """`segment_of` for parallel sequences, one segment per user."""
    return [
        segment_of(account_age_days=age, idle_days=idle, active_weeks=int(weeks),
                   score=score, score_before=before)
        for age, idle, weeks, score, before in zip(
            account_age_days, idle_days, active_weeks, scores, scores_before, strict=True
        )
    ]
