"""Levels and privileges from points: pure, so they are read and tested without an app.

Thresholds follow Stack Overflow's privileges. Staff (moderators and admins) hold every
privilege whatever their points; `app.gamification.privileges.can` applies that.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Level:
    number: int
    name: str
    points: int  # reached at this many points


LEVELS: tuple[Level, ...] = (
    Level(1, "Newcomer", 1),
    Level(2, "Learner", 15),
    Level(3, "Contributor", 50),
    Level(4, "Regular", 125),
    Level(5, "Helper", 300),
    Level(6, "Mentor", 1000),
    Level(7, "Expert", 2000),
    Level(8, "Sage", 3000),
    Level(9, "Luminary", 10000),
)


@dataclass(frozen=True)
class Privilege:
    slug: str
    name: str
    points: int
    description: str


PRIVILEGES: tuple[Privilege, ...] = (
    Privilege("vote_up", "Vote up", 15, "Upvote questions and answers you find useful."),
    Privilege("flag", "Flag posts", 15, "Flag posts for moderators' attention."),
    Privilege("post_links", "Post more links", 50, "Post more than 2 links in a post."),
    Privilege("offer_bounty", "Offer bounties", 75, "Offer your points as a bounty on a question."),
    Privilege("vote_down", "Vote down", 125, "Downvote posts that are wrong or unhelpful."),
    Privilege("create_tags", "Create tags", 300, "Add new tags to the site."),
    Privilege(
        "reduced_limits", "Reduced rate limits", 1000, "Post and vote with looser rate limits."
    ),
    Privilege("edit_any", "Edit anyone's post", 2000, "Edit any question or answer."),
    Privilege("close_vote", "Close and reopen", 3000, "Vote to close or reopen questions."),
)

PRIVILEGES_BY_SLUG = {p.slug: p for p in PRIVILEGES}

# Links a post may hold before the post_links privilege.
MAX_LINKS_WITHOUT_PRIVILEGE = 2

# What a level-1 account may write in the first day after signing up (spam sign-ups
# post a lot at once; a real newcomer rarely hits these).
NEW_ACCOUNT_DAY_HOURS = 24
NEW_ACCOUNT_MAX_THREADS = 3
NEW_ACCOUNT_MAX_POSTS = 10


def level_for(points: int) -> Level:
    reached = LEVELS[0]
    for level in LEVELS:
        if points >= level.points:
            reached = level
    return reached


def next_level(points: int) -> Level | None:
    """The level after the one `points` reach (Learner below the first threshold, too)."""
    current = level_for(points)
    return next((level for level in LEVELS if level.number > current.number), None)


@dataclass(frozen=True)
class Progress:
    level: Level
    next: Level | None
    percent: int  # 0-100 of the way from this level to the next; 100 at the top
    points_to_next: int


def progress(points: int) -> Progress:
    level, upcoming = level_for(points), next_level(points)
    if upcoming is None:
        return Progress(level, None, 100, 0)
    span = upcoming.points - level.points
    done = max(0, points - level.points)
    return Progress(level, upcoming, min(99, done * 100 // span), upcoming.points - points)


def has_privilege(points: int, slug: str) -> bool:
    return points >= PRIVILEGES_BY_SLUG[slug].points


def crossed(before: int, after: int) -> tuple[list[Level], list[Privilege]]:
    """Levels and privileges first reached on the way from `before` to `after` points."""
    if after <= before:
        return [], []
    levels = [lv for lv in LEVELS if before < lv.points <= after]
    privileges = [p for p in PRIVILEGES if before < p.points <= after]
    return levels, privileges
