"""Invitations: a member's personal invite link, the sign-up it leads to, and the reward.

The link is a signed token of the inviter's id (no row until someone uses it). The
`Invitation` row is written when the invitee registers, inside the registration's
transaction; the inviter earns +10 when the invitee makes their first post, at most
`MONTHLY_REWARD_CAP` times per calendar month (UTC). Invitations past the cap stay on
record, unpaid. The ledger key `invite:<id>` makes the reward idempotent.
"""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.extensions import db
from app.forum.models import Post
from app.gamification import ledger
from app.gamification.models import Invitation
from app.insights.models import Event
from app.insights.services import record, subscribe
from app.timeutil import utcnow
from app.web.pagination import Page, paginate

TOKEN_SALT = "guildhall.invite"
SESSION_KEY = "invited_by"  # the inviter's id, kept in the session from /join until sign-up
MONTHLY_REWARD_CAP = 20
PER_PAGE = 30
PROFILE_NAMES = 12


@dataclass(frozen=True)
class InvitePage:
    token: str
    joined: Page  # of Invitation, newest first, with the invitee loaded
    rewarded_this_month: int
    cap: int = MONTHLY_REWARD_CAP


@dataclass(frozen=True)
class ProfileInvites:
    count: int
    people: list[User]  # the first PROFILE_NAMES of them, newest first

    @property
    def more(self) -> int:
        return max(0, self.count - len(self.people))


def invite_token(user_id: int) -> str:
    return _serializer().dumps(user_id)


def inviter_for_token(token: str) -> User | None:
    """The active member a token was made for, or None for a forged or stale token."""
    try:
        user_id = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(user_id, int):
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and not user.is_deleted else None


def invite_page(user, *, page: int) -> InvitePage:
    """The invite page's data. The first visit records `invite_sent` (once per member: the
    user row is locked while checking, so two tabs cannot both record it) and commits."""
    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())
    sent = db.session.scalar(
        select(Event.id).where(Event.user_id == user.id, Event.type == "invite_sent").limit(1)
    )
    if sent is None:
        record("invite_sent", user=user)
    db.session.commit()
    joined = paginate(
        select(Invitation)
        .where(Invitation.inviter_id == user.id, Invitation.invitee_id.is_not(None))
        .options(joinedload(Invitation.invitee))
        .order_by(Invitation.accepted_at.desc(), Invitation.id.desc()),
        page=page,
        per_page=PER_PAGE,
    )
    return InvitePage(
        token=invite_token(user.id),
        joined=joined,
        rewarded_this_month=rewarded_in_month(user.id, utcnow()),
    )


def accept_invitation(inviter_id: int | None, invitee: User, *, at: datetime | None = None
                      ) -> Invitation | None:
    """Record that `invitee` signed up through `inviter_id`'s link; never commits.

    Runs inside the registration's transaction. Nothing happens for a missing or deleted
    inviter, or for someone inviting themselves.
    """
    if not inviter_id or inviter_id == invitee.id:
        return None
    inviter = db.session.get(User, inviter_id)
    if inviter is None or inviter.is_deleted:
        return None
    at = at or utcnow()
    invitation = Invitation(inviter_id=inviter.id, invitee_id=invitee.id, created_at=at,
                            accepted_at=at)
    db.session.add(invitation)
    db.session.flush()
    record("invite_accepted", user=invitee, subject=invitation,
           data={"inviter_id": inviter.id}, at=at)
    return invitation


@subscribe("ask", "answer", "reply")
def reward_inviter(event: Event) -> None:
    """The invitee's first post pays their inviter, within the monthly cap."""
    if event.user_id is None:
        return
    invitation = db.session.scalars(
        select(Invitation).where(
            Invitation.invitee_id == event.user_id, Invitation.rewarded_at.is_(None)
        )
    ).first()
    if invitation is None or _posts_by(event.user_id) > 1:
        return
    inviter = db.session.scalars(
        select(User).where(User.id == invitation.inviter_id).with_for_update()
    ).first()  # locked: two invitees posting at once cannot both take the last slot
    if inviter is None or inviter.is_deleted:
        return
    if rewarded_in_month(inviter.id, event.created_at) >= MONTHLY_REWARD_CAP:
        return
    paid = ledger.award(inviter.id, "invite", key=f"invite:{invitation.id}", subject=invitation,
                        actor_id=event.user_id, at=event.created_at)
    if paid is not None:
        invitation.rewarded_at = event.created_at


def rewarded_in_month(inviter_id: int, moment: datetime) -> int:
    """Invitations of `inviter_id` rewarded in the UTC calendar month of `moment`."""
    start = moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = start.replace(year=start.year + 1, month=1) if start.month == 12 else start.replace(
        month=start.month + 1
    )
    return db.session.scalar(
        select(func.count(Invitation.id)).where(
            Invitation.inviter_id == inviter_id,
            Invitation.rewarded_at >= start,
            Invitation.rewarded_at < end,
        )
    ) or 0


def profile_invites(user) -> ProfileInvites:
    """Who joined through `user`'s link, for the profile: one query, the total riding along
    as a window count. Deleted accounts are left out of both."""
    rows = db.session.execute(
        select(User, func.count().over())
        .join(Invitation, Invitation.invitee_id == User.id)
        .where(Invitation.inviter_id == user.id, User.deleted_at.is_(None))
        .order_by(Invitation.accepted_at.desc(), Invitation.id.desc())
        .limit(PROFILE_NAMES)
    ).all()
    return ProfileInvites(count=rows[0][1] if rows else 0, people=[row[0] for row in rows])


def _posts_by(user_id: int) -> int:
    return db.session.scalar(select(func.count(Post.id)).where(Post.author_id == user_id)) or 0


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT)
