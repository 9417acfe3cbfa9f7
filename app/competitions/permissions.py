"""Who may see and do what in competitions: decided here and nowhere else.

Drafts are for staff. A member-only competition shows its title, summary and dates to
everyone, as a teaser, and everything else (description, rules, challenges, data,
boards) to members; `is_member` counts staff. Taking part needs a live account that is
neither suspended nor silenced (entries show on public boards), membership where asked,
no disqualification, the competition open and, where it requires joining, the rules
accepted.

The `*_problem` functions return the error a service should raise (None when allowed),
so a page can say why a button is missing and a service refuses with the same words.
"""

from datetime import datetime

from app.billing.membership import is_member
from app.competitions import lifecycle
from app.competitions.models import Competition, Entrant
from app.forum.errors import Conflict, ForumError, MembersOnly, NotFound, PermissionDenied
from app.moderation.restrictions import silence_problem
from app.timeutil import utcnow


def _authenticated(user) -> bool:
    return bool(user is not None and user.is_authenticated and not user.is_deleted)


def is_staff(user) -> bool:
    return _authenticated(user) and user.is_staff


def can_organise(user) -> bool:
    """Competitions, challenges, prizes and ground truth are written by staff."""
    return is_staff(user)


def require_organiser(user) -> None:
    """Raise unless `user` may organise; every staff service calls it again."""
    if not can_organise(user):
        raise PermissionDenied("Only staff can organise competitions.")


def can_view(user, competition: Competition) -> bool:
    """The competition's page at all (for a member-only one: its teaser)."""
    return competition.published or is_staff(user)


def needs_membership(user, competition: Competition) -> bool:
    """Whether the page shows "Become a member" instead of the details."""
    return competition.member_only and not is_member(user)


def can_view_details(user, competition: Competition) -> bool:
    """Description, rules, challenges, data description and leaderboards."""
    return can_view(user, competition) and not needs_membership(user, competition)


def can_view_private_board(user, competition: Competition, now: datetime | None = None) -> bool:
    """The private board decides the final standing, so it stays hidden until the end."""
    return can_view_details(user, competition) and (
        is_staff(user) or lifecycle.is_over(competition, now or utcnow()))


def entry_problem(user, competition: Competition, entrant: Entrant | None,
                  now: datetime | None = None) -> ForumError | None:
    """Why `user` may not join `competition` now (None: they may). Joining is open from
    publication until the end, so people can accept the rules before the start."""
    problem = _person_problem(user, competition, entrant)
    if problem is not None:
        return problem
    now = now or utcnow()
    if (not competition.published or competition.finalized_at is not None
            or now >= competition.ends_at):
        return Conflict(lifecycle.closed_message(competition, now))
    return None


def submit_problem(user, competition: Competition, entrant: Entrant | None,
                   now: datetime | None = None) -> ForumError | None:
    """Why `user` may not answer a challenge, unlock a hint or upload predictions now."""
    problem = _person_problem(user, competition, entrant)
    if problem is not None:
        return problem
    now = now or utcnow()
    if not lifecycle.is_open(competition, now):
        return Conflict(lifecycle.closed_message(competition, now))
    if competition.requires_join and entrant is None:
        return PermissionDenied("Join the competition (accept its rules) before taking part.")
    return None


def can_enter(user, competition: Competition, entrant: Entrant | None,
              now: datetime | None = None) -> bool:
    return entry_problem(user, competition, entrant, now) is None


def can_submit(user, competition: Competition, entrant: Entrant | None,
               now: datetime | None = None) -> bool:
    return submit_problem(user, competition, entrant, now) is None


def _person_problem(user, competition: Competition, entrant: Entrant | None) -> ForumError | None:
    if not _authenticated(user):
        return PermissionDenied("Log in to take part in competitions.")
    if not can_view(user, competition):
        return NotFound("We could not find that competition.")
    if user.is_suspended:
        return PermissionDenied(
            f"Your account is suspended until {lifecycle.when(user.suspended_until)}.")
    silenced = silence_problem(user)
    if silenced is not None:
        return silenced
    if needs_membership(user, competition):
        return MembersOnly("This competition is for members. Become a member to take part.")
    if entrant is not None and entrant.is_disqualified:
        reason = f": {entrant.disqualified_reason}" if entrant.disqualified_reason else "."
        return PermissionDenied(f"You were disqualified from this competition{reason}")
    return None
