"""What organisers read: every entrant (disqualified ones too), every submission and
every attempt, paginated, two queries a page (the rows with their users, and a count).
"""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.competitions.models import Attempt, Challenge, Competition, Entrant, Submission
from app.competitions.permissions import require_organiser
from app.web.pagination import Page, paginate

PER_PAGE = 50


def entrants_page(actor, competition: Competition, *, page: int = 1) -> Page:
    """Entrants in the order they joined, with who disqualified whom and why."""
    require_organiser(actor)
    return paginate(
        select(Entrant).where(Entrant.competition_id == competition.id)
        .options(joinedload(Entrant.user), joinedload(Entrant.disqualified_by))
        .order_by(Entrant.joined_at, Entrant.id),
        page=page, per_page=PER_PAGE)


def submissions_page(actor, competition: Competition, *, page: int = 1,
                     user_id: int | None = None) -> Page:
    """All submissions, newest first, both scores shown (staff only); or one entrant's."""
    require_organiser(actor)
    stmt = (select(Submission).where(Submission.competition_id == competition.id)
            .options(joinedload(Submission.user))
            .order_by(Submission.created_at.desc(), Submission.id.desc()))
    if user_id is not None:
        stmt = stmt.where(Submission.user_id == user_id)
    return paginate(stmt, page=page, per_page=PER_PAGE)


def attempts_page(actor, challenge: Challenge, *, page: int = 1) -> Page:
    """Every answer typed at a challenge, newest first, as (Attempt, username) rows."""
    require_organiser(actor)
    stmt = (select(Attempt, User.username).join(User, User.id == Attempt.user_id)
            .where(Attempt.challenge_id == challenge.id)
            .order_by(Attempt.submitted_at.desc(), Attempt.id.desc()))
    return paginate(stmt, page=page, per_page=PER_PAGE, scalars=False)
