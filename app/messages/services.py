"""Private messages: start a conversation, reply, read, block.

`check_*` functions load and refuse; the verbs write and commit. Rules, in order:
a silenced member writes only to the moderators; below level 2 a member writes only to
staff; nobody reaches someone who has blocked them. The moderators' conversation is
open to every moderator and admin, whether or not they are a participant yet.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload

from app.accounts.models import Role, User
from app.accounts.rules import username_key
from app.extensions import db
from app.forum.errors import NotFound, PermissionDenied, ValidationError
from app.messages.models import (
    Block,
    Conversation,
    ConversationKind,
    Participant,
    PrivateMessage,
)
from app.messages.rules import MAX_BODY, MAX_PEOPLE, MAX_SUBJECT, may_message_members
from app.moderation.permissions import is_moderator
from app.moderation.restrictions import require_not_silenced
from app.notifications.services import notify
from app.timeutil import utcnow
from app.web.markdown import render_markdown
from app.web.pagination import Page, paginate

PER_PAGE = 25


@dataclass(frozen=True)
class InboxLine:
    conversation: Conversation
    unread: bool
    people: list[User]  # the other participants


# ----- reading -------------------------------------------------------------------------

def unread_count(user_id: int) -> int:
    """Conversations with news since `user_id` last read them."""
    return db.session.scalar(unread_count_query(user_id)) or 0


def unread_count_query(user_id: int):
    """The COUNT behind `unread_count`, for the header to fold into one query."""
    return (select(func.count()).select_from(Participant)
            .join(Conversation, Conversation.id == Participant.conversation_id)
            .where(Participant.user_id == user_id, _unread()))


def still_news(news: set[tuple[int, int, int | None]]) -> set[tuple[int, int, int | None]]:
    """Of (reader, conversation, sender) triples, those an email may still tell the
    reader about: the reader is in the conversation, has not read it since its last
    message, and has not blocked the sender since. Two queries whatever the number."""
    if not news:
        return set()
    readers = {reader for reader, _, _ in news}
    unread = set(db.session.execute(
        select(Participant.user_id, Participant.conversation_id)
        .join(Conversation, Conversation.id == Participant.conversation_id)
        .where(Participant.user_id.in_(readers),
               Participant.conversation_id.in_({c for _, c, _ in news}), _unread())).all())
    senders = {sender for _, _, sender in news} - {None}
    blocked = set(db.session.execute(
        select(Block.blocker_id, Block.blocked_id)
        .where(Block.blocker_id.in_(readers), Block.blocked_id.in_(senders))).all()) \
        if senders else set()
    return {(reader, conversation, sender) for reader, conversation, sender in news
            if (reader, conversation) in unread and (reader, sender) not in blocked}


def inbox_page(user, *, page: int) -> Page:
    """`user`'s conversations, latest news first: three queries whatever the page holds
    (count, conversations with read marks, the other participants)."""
    stmt = (
        select(Conversation, _unread().label("unread"))
        .join(Participant, and_(Participant.conversation_id == Conversation.id,
                                Participant.user_id == user.id))
        .order_by(Conversation.last_message_at.desc(), Conversation.id.desc())
    )
    found = paginate(stmt, page=page, per_page=PER_PAGE, scalars=False)
    ids = [row.Conversation.id for row in found.items]
    people: dict[int, list[User]] = {i: [] for i in ids}
    if ids:
        for p in db.session.scalars(
            select(Participant).where(Participant.conversation_id.in_(ids),
                                      Participant.user_id != user.id)
            .options(joinedload(Participant.user))
        ):
            people[p.conversation_id].append(p.user)
    lines = [InboxLine(row.Conversation, bool(row.unread), people[row.Conversation.id])
             for row in found.items]
    return Page(items=lines, page=found.page, per_page=found.per_page, total=found.total)


def check_conversation(user, conversation_id: int) -> Conversation:
    """The conversation, if `user` may read it; NotFound otherwise, so outsiders cannot
    even learn that it exists."""
    conversation = db.session.get(Conversation, conversation_id)
    if conversation is None or not _may_read(user, conversation):
        raise NotFound("No such conversation.")
    return conversation


def open_conversation(user, conversation_id: int) -> tuple[Conversation, list[PrivateMessage]]:
    """The conversation's messages, oldest first, and mark it read for `user`."""
    conversation = check_conversation(user, conversation_id)
    messages = list(db.session.scalars(
        select(PrivateMessage).where(PrivateMessage.conversation_id == conversation.id)
        .options(joinedload(PrivateMessage.sender)).order_by(PrivateMessage.id)))
    mine = _participant(conversation, user)
    if mine is not None:
        mine.last_read_at = utcnow()
        db.session.commit()
    return conversation, messages


def people_in(conversation: Conversation) -> list[User]:
    return [p.user for p in conversation.participants]


# ----- writing -------------------------------------------------------------------------

def start_conversation(sender, usernames: list[str], *, subject: str, body: str) -> Conversation:
    """A new one-to-one or group conversation with the people named."""
    recipients = _recipients(sender, usernames)
    all_staff = all(r.is_staff for r in recipients)
    if not all_staff:
        require_not_silenced(sender)
        if not may_message_members(sender):
            raise PermissionDenied("You can message other members from level 2 (15 points); "
                                   "until then you can write to the moderators.")
    _refuse_blocked(sender, recipients)
    kind = ConversationKind.DIRECT if len(recipients) == 1 else ConversationKind.GROUP
    conversation = _create(sender, recipients, kind=kind, subject=subject)
    _post(conversation, sender, body)
    db.session.commit()
    return conversation


def contact_moderators(sender, *, subject: str, body: str) -> Conversation:
    """A conversation with the staff group: every moderator and admin sees it and can
    answer. Open to everyone, the silenced too: it is how they appeal."""
    staff = list(db.session.scalars(select(User).where(User.id != sender.id)
                                    .where(User.role.in_((Role.MODERATOR, Role.ADMIN)),
                                           User.deleted_at.is_(None))))
    conversation = _create(sender, staff, kind=ConversationKind.MODERATORS, subject=subject)
    _post(conversation, sender, body)
    db.session.commit()
    return conversation


def reply(sender, conversation_id: int, body: str) -> PrivateMessage:
    """Answer in a conversation. The level rule is for starting conversations: a newcomer
    someone wrote to may answer them."""
    conversation = check_conversation(sender, conversation_id)
    if conversation.kind != ConversationKind.MODERATORS:
        others = [u for u in people_in(conversation) if u.id != sender.id]
        require_not_silenced(sender)
        invited = conversation.created_by_id != sender.id  # they wrote first: answer them
        if not (may_message_members(sender) or invited or all(u.is_staff for u in others)):
            raise PermissionDenied("You can message other members from level 2 (15 points).")
        _refuse_blocked(sender, others)
    elif _participant(conversation, sender) is None:
        conversation.participants.append(Participant(user_id=sender.id))
    message = _post(conversation, sender, body)
    db.session.commit()
    return message


def deliver_warning(moderator, member: User, reason: str) -> Conversation:
    """A moderator's warning as a private message; joins the caller's transaction (the
    warning's audit entry commits with it). No rule applies: members cannot refuse it.
    The warning's own notice and email already tell the member, so the message adds no
    "new message" notification (it would email them the same news twice); it still
    counts as unread in the header until they open it."""
    conversation = _create(moderator, [member], kind=ConversationKind.DIRECT,
                           subject="A warning from the moderators")
    _post(conversation, moderator, reason, notify_others=False)
    return conversation


def block(user, username: str) -> User:
    """`user` stops hearing from `username`. Staff cannot be blocked: warnings and
    answers to appeals must arrive."""
    other = _member(username)
    if other is None or other.id == user.id:
        raise ValidationError("username", "Choose someone else to block.")
    if other.is_staff:
        raise PermissionDenied("You cannot block the moderators.")
    if db.session.get(Block, (user.id, other.id)) is None:
        db.session.add(Block(blocker_id=user.id, blocked_id=other.id))
        db.session.commit()
    return other


def unblock(user, username: str) -> None:
    other = _member(username)
    found = other and db.session.get(Block, (user.id, other.id))
    if found:
        db.session.delete(found)
        db.session.commit()


def blocked_ids(user) -> set[int]:
    return set(db.session.scalars(select(Block.blocked_id).where(Block.blocker_id == user.id)))


# ----- helpers -------------------------------------------------------------------------

def _unread():
    """A participant's conversation has news since they last read it (query with both)."""
    return or_(Participant.last_read_at.is_(None),
               Conversation.last_message_at > Participant.last_read_at)


def _may_read(user, conversation: Conversation) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if conversation.kind == ConversationKind.MODERATORS and is_moderator(user):
        return True
    return _participant(conversation, user) is not None


def _participant(conversation: Conversation, user) -> Participant | None:
    return next((p for p in conversation.participants if p.user_id == user.id), None)


def _member(username: str) -> User | None:
    user = db.session.scalar(select(User).where(User.username_key == username_key(username)))
    return None if user is None or user.is_deleted else user


def _recipients(sender, usernames: list[str]) -> list[User]:
    names = list(dict.fromkeys(n.strip().lstrip("@") for n in usernames if n.strip()))
    if not names:
        raise ValidationError("recipients", "Name at least one person.")
    if len(names) + 1 > MAX_PEOPLE:
        raise ValidationError("recipients", f"A conversation holds at most {MAX_PEOPLE} people.")
    recipients = []
    for name in names:
        user = _member(name)
        if user is None:
            raise ValidationError("recipients", f"There is no member called {name}.")
        if user.id == sender.id:
            raise ValidationError("recipients", "You need not write to yourself.")
        recipients.append(user)
    return recipients


def _refuse_blocked(sender, others: list[User]) -> None:
    """Say who blocked the sender, so they know why and stop trying."""
    ids = [u.id for u in others]
    blockers = set(db.session.scalars(select(Block.blocker_id).where(
        Block.blocked_id == sender.id, Block.blocker_id.in_(ids)))) if ids else set()
    if blockers:
        names = ", ".join(u.username for u in others if u.id in blockers)
        raise PermissionDenied(f"You cannot message {names}: they have blocked you.")


def _create(sender, recipients: list[User], *, kind: str, subject: str) -> Conversation:
    subject = (subject or "").strip()
    if len(subject) > MAX_SUBJECT:
        raise ValidationError("subject", f"Keep the subject to {MAX_SUBJECT} characters.")
    conversation = Conversation(kind=kind, subject=subject, created_by_id=sender.id)
    conversation.participants = [Participant(user_id=sender.id)] + [
        Participant(user_id=r.id) for r in recipients]
    db.session.add(conversation)
    db.session.flush()  # the notifications name it
    return conversation


def _post(conversation: Conversation, sender, body: str, at: datetime | None = None, *,
          notify_others: bool = True) -> PrivateMessage:
    """Write one message, move the conversation's news mark, keep the sender's own
    message read, and tell the others (one folded notification per conversation)."""
    body = (body or "").strip()
    if not body:
        raise ValidationError("body", "Write something first.")
    if len(body) > MAX_BODY:
        raise ValidationError("body", f"Keep a message to {MAX_BODY} characters.")
    at = at or utcnow()
    message = PrivateMessage(conversation=conversation, sender_id=sender.id, body=body,
                             body_html=render_markdown(body), created_at=at)
    db.session.add(message)
    conversation.last_message_at = at
    for p in conversation.participants:
        if p.user_id == sender.id:
            p.last_read_at = at
        elif notify_others:
            notify(p.user_id, "message", subject=conversation, actor_id=sender.id,
                   data={"conversation_id": conversation.id, "subject": conversation.subject})
    return message
