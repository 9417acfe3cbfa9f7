"""How many points each happening is worth: the whole table, in one place.

Modelled on Stack Overflow. Plain values only, so the numbers are easy to read, change
and test. The ledger (`app.gamification.ledger`) applies them; nothing else decides an
amount.
"""

from dataclasses import dataclass

# Everyone starts with one point, and no total ever goes below it.
STARTING_POINTS = 1
FLOOR = 1

# Points from votes received (and the downvoter's own cost) are capped per UTC day;
# accepts, bounties, prizes and the rest are outside the cap.
DAILY_VOTE_CAP = 200

# Approved edits of other people's posts earn points up to this total, then nothing.
EDIT_POINTS_CAP = 1000

# A streak bonus is paid each time a streak reaches a multiple of this many days.
STREAK_BONUS_EVERY = 7


@dataclass(frozen=True)
class Rule:
    reason: str
    points: int
    label: str  # how the points history page names it
    vote_capped: bool = False


RULES: dict[str, Rule] = {
    rule.reason: rule
    for rule in (
        Rule("question_upvoted", 5, "Question upvoted", vote_capped=True),
        Rule("answer_upvoted", 10, "Answer upvoted", vote_capped=True),
        Rule("reply_upvoted", 10, "Reply upvoted", vote_capped=True),
        Rule("post_downvoted", -2, "Post downvoted", vote_capped=True),
        Rule("downvoted_answer", -1, "You downvoted an answer", vote_capped=True),
        Rule("answer_accepted", 15, "Your answer was accepted"),
        Rule("accepted_answer", 2, "You accepted an answer"),
        Rule("edit_approved", 2, "Edit of another's post"),
        Rule("daily_activity", 1, "First activity of the day"),
        Rule("streak", 10, "7-day streak"),
        Rule("invite", 10, "Invited a friend who posted"),
        Rule("course_completed", 20, "Finished a course"),
        # Amounts below are set by the happening itself (the points value is a default).
        Rule("bounty_offered", 0, "Bounty offered"),
        Rule("bounty_awarded", 0, "Bounty received"),
        Rule("bounty_refund", 0, "Bounty returned"),
        Rule("competition_prize", 0, "Competition prize"),
        Rule("imported", 0, "Imported history"),
        Rule("adjustment", 0, "Adjustment by staff"),
        Rule("serial_vote_reversal", 0, "Serial votes reversed"),
    )
}

VOTE_CAPPED_REASONS = frozenset(r.reason for r in RULES.values() if r.vote_capped)


def vote_reasons(*, post_kind: str, value: int) -> list[tuple[str, str]]:
    """The (who, reason) pairs one vote earns: who is "author" or "voter".

    `post_kind` is "question", "answer" or "reply". Downvoting costs the voter a point
    only on answers, as on Stack Overflow, so questions can be judged freely.
    """
    if value > 0:
        return [("author", f"{post_kind}_upvoted")]
    pairs = [("author", "post_downvoted")]
    if post_kind == "answer":
        pairs.append(("voter", "downvoted_answer"))
    return pairs


def capped_delta(requested: int, *, total: int, vote_points_today: int, vote_capped: bool) -> int:
    """What a rule's `requested` change becomes after the daily vote cap and the floor.

    Gains from votes stop at DAILY_VOTE_CAP a day; any loss stops at the FLOOR.
    """
    delta = requested
    if vote_capped and delta > 0:
        delta = max(0, min(delta, DAILY_VOTE_CAP - vote_points_today))
    if delta < 0:
        delta = max(delta, FLOOR - total)
        delta = min(delta, 0)
    return delta


def edit_delta(*, edit_points_so_far: int) -> int:
    return max(0, min(RULES["edit_approved"].points, EDIT_POINTS_CAP - edit_points_so_far))
