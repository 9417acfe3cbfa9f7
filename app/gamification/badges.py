"""Every badge, defined once: what it is called, its tier, and the rule that earns it.

A rule is a set of thresholds on named metrics (plain numbers about one user, or one
user and one thing: a post, a thread, a tag, a competition). The event handlers and the
sweep in `app.gamification.badge_awards` measure the metrics; this module only decides.
A badge is judged only on facts that name every metric it needs, so the facts of a vote
on an answer never earn a question badge by omission.

Pure: no Flask, no SQLAlchemy, no `app` imports.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

BRONZE, SILVER, GOLD = "bronze", "silver", "gold"
TIERS = (GOLD, SILVER, BRONZE)
TIER_LABELS = {BRONZE: "Bronze", SILVER: "Silver", GOLD: "Gold"}

# The sections of the badge catalogue, in the order the page lists them.
KINDS = {
    "questions": "Questions",
    "answers": "Answers",
    "participation": "Participation",
    "streaks": "Streaks",
    "tags": "Tags",
    "learning": "Learning and competitions",
}

# Metrics the rules read. Per-thing metrics come with a subject; the rest are per user.
QUESTION_SCORE = "question_score"  # score of one question (its opening post)
QUESTION_VIEWS = "question_views"  # counted views of one question
ANSWER_SCORE = "answer_score"  # score of one answer
ANSWER_DELAY_DAYS = "answer_delay_days"  # days between the question and this answer
ANSWER_ACCEPTED = "answer_accepted"  # 1 when this answer is the accepted one
QUESTIONS_ASKED = "questions_asked"
ANSWERS_POSTED = "answers_posted"
ACCEPTS_GIVEN = "accepts_given"  # answers accepted on one's own questions
EDITS = "edits"
UPVOTES_CAST = "upvotes_cast"
DOWNVOTES_CAST = "downvotes_cast"
BIO_FILLED = "bio_filled"
STREAK_DAYS = "streak_days"
TAG_SCORE = "tag_score"  # total score of one's answers in one tag
TAG_ANSWERS = "tag_answers"  # number of one's answers in one tag
COMPETITIONS_ENTERED = "competitions_entered"
COMPETITION_RANK = "competition_rank"  # final place in one competition
MEMBERSHIPS = "memberships"
COURSES_COMPLETED = "courses_completed"


@dataclass(frozen=True)
class Badge:
    """One badge. `at_least` / `at_most` are the rule: every named metric must be known
    and within its bound. A repeatable badge is earned once per subject (each answer
    scoring 10 earns another Nice Answer); the others once per person. Tag badges are
    `named_after_subject`: each award is shown under the tag's name."""

    slug: str
    name: str
    description: str
    tier: str
    kind: str
    at_least: Mapping[str, int] = field(default_factory=dict)
    at_most: Mapping[str, int] = field(default_factory=dict)
    repeatable: bool = False
    named_after_subject: bool = False

    @property
    def metrics(self) -> frozenset[str]:
        return frozenset(self.at_least) | frozenset(self.at_most)

    @property
    def tier_label(self) -> str:
        return TIER_LABELS[self.tier]

    def earned(self, facts: Mapping[str, int]) -> bool:
        """True when `facts` measure every metric of the rule and all bounds hold."""
        if not self.metrics or not self.metrics <= facts.keys():
            return False
        return all(facts[m] >= v for m, v in self.at_least.items()) and all(
            facts[m] <= v for m, v in self.at_most.items()
        )

    def display_name(self, subject_name: str | None = None) -> str:
        """What one award is called: a tag badge is called after its tag."""
        if self.named_after_subject and subject_name:
            return subject_name
        return self.name


def _tiers(kind, metric, names, thresholds, describe, *, repeatable=True, extra=None):
    """Three badges (bronze, silver, gold) on rising thresholds of one metric."""
    return tuple(
        Badge(
            slug=slug,
            name=name,
            description=describe(threshold),
            tier=tier,
            kind=kind,
            at_least={metric: threshold, **(extra or {})},
            repeatable=repeatable,
        )
        for (slug, name), threshold, tier in zip(names, thresholds, (BRONZE, SILVER, GOLD), strict=True)
    )


def _tag_badge(tier: str, score: int, answers: int) -> Badge:
    return Badge(
        slug=f"tag-{tier}",
        name=f"{TIER_LABELS[tier]} tag badge",
        description=(
            f"Earned a total score of {score:,} on at least {answers:,} answers in one tag. "
            "Named after the tag."
        ),
        tier=tier,
        kind="tags",
        at_least={TAG_SCORE: score, TAG_ANSWERS: answers},
        repeatable=True,
        named_after_subject=True,
    )


def _first(slug, name, description, metric, kind="participation") -> Badge:
    return Badge(slug, name, description, BRONZE, kind, at_least={metric: 1})


BADGES: tuple[Badge, ...] = (
    # Questions
    *_tiers(
        "questions", QUESTION_SCORE,
        (("nice-question", "Nice Question"), ("good-question", "Good Question"),
         ("great-question", "Great Question")),
        (10, 25, 100), lambda n: f"Asked a question with a score of {n} or more.",
    ),
    *_tiers(
        "questions", QUESTION_VIEWS,
        (("popular-question", "Popular Question"), ("notable-question", "Notable Question"),
         ("famous-question", "Famous Question")),
        (1_000, 2_500, 10_000), lambda n: f"Asked a question that was viewed {n:,} times.",
    ),
    _first("student", "Student", "Asked a first question.", QUESTIONS_ASKED, "questions"),
    _first("scholar", "Scholar", "Accepted an answer on one of your questions.", ACCEPTS_GIVEN,
           "questions"),
    # Answers
    *_tiers(
        "answers", ANSWER_SCORE,
        (("nice-answer", "Nice Answer"), ("good-answer", "Good Answer"),
         ("great-answer", "Great Answer")),
        (10, 25, 100), lambda n: f"Posted an answer with a score of {n} or more.",
    ),
    _first("helper", "Helper", "Posted a first answer.", ANSWERS_POSTED, "answers"),
    Badge("teacher", "Teacher", "Posted an answer that scored 1 or more.", BRONZE, "answers",
          at_least={ANSWER_SCORE: 1}),
    Badge("enlightened", "Enlightened", "Posted an accepted answer with a score of 10 or more.",
          SILVER, "answers", at_least={ANSWER_ACCEPTED: 1, ANSWER_SCORE: 10}, repeatable=True),
    Badge("guru", "Guru", "Posted an accepted answer with a score of 40 or more.",
          GOLD, "answers", at_least={ANSWER_ACCEPTED: 1, ANSWER_SCORE: 40}, repeatable=True),
    Badge("necromancer", "Necromancer",
          "Answered a question at least 60 days after it was asked, and the answer scored 5 or more.",
          SILVER, "answers", at_least={ANSWER_DELAY_DAYS: 60, ANSWER_SCORE: 5}, repeatable=True),
    # Participation
    _first("editor", "Editor", "Made a first edit to a post.", EDITS),
    _first("supporter", "Supporter", "Cast a first upvote.", UPVOTES_CAST),
    _first("critic", "Critic", "Cast a first downvote.", DOWNVOTES_CAST),
    _first("autobiographer", "Autobiographer", "Wrote a bio on your profile.", BIO_FILLED),
    # Streaks
    *_tiers(
        "streaks", STREAK_DAYS,
        (("steady", "Steady"), ("enthusiast", "Enthusiast"), ("fanatic", "Fanatic")),
        (7, 30, 100),
        lambda n: f"Was active {n} days in a row (posting, answering, replying or voting).",
        repeatable=False,
    ),
    # Tags
    _tag_badge(BRONZE, 100, 20),
    _tag_badge(SILVER, 400, 80),
    _tag_badge(GOLD, 1_000, 200),
    # Learning and competitions (later parts only fire the event)
    _first("competitor", "Competitor", "Entered a first competition.", COMPETITIONS_ENTERED,
           "learning"),
    Badge("podium", "Podium", "Finished a competition in the top three.", SILVER, "learning",
          at_most={COMPETITION_RANK: 3}, repeatable=True),
    Badge("champion", "Champion", "Won a competition.", GOLD, "learning",
          at_most={COMPETITION_RANK: 1}, repeatable=True),
    Badge("patron", "Patron", "Became a member.", SILVER, "learning", at_least={MEMBERSHIPS: 1}),
    Badge("graduate", "Graduate", "Finished a course.", BRONZE,
          "learning", at_least={COURSES_COMPLETED: 1}, repeatable=True),
)

BADGES_BY_SLUG: dict[str, Badge] = {badge.slug: badge for badge in BADGES}


def badges_earned(facts: Mapping[str, int]) -> list[Badge]:
    """Every badge whose rule `facts` satisfy, in catalogue order."""
    return [badge for badge in BADGES if badge.earned(facts)]


def badges_on(metric: str) -> list[Badge]:
    """The badges whose rule reads `metric`: what a sweep over that metric can award."""
    return [badge for badge in BADGES if metric in badge.metrics]


def award_key(slug: str, user_id: int, subject_type: str | None = None,
              subject_id: int | None = None) -> str:
    """The idempotency key of one award: once per person, or once per person and subject
    for a repeatable badge."""
    badge = BADGES_BY_SLUG[slug]
    if badge.repeatable:
        return f"{slug}:{user_id}:{subject_type}:{subject_id}"
    return f"{slug}:{user_id}"


def tier_counts(awards: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Sum (tier, times) pairs into awards per tier, gold first, every tier present."""
    counts = dict.fromkeys(TIERS, 0)
    for tier, times in awards:
        counts[tier] += times
    return counts
