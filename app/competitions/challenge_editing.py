"""Staff writing a challenge set: challenges (flag, scoring, prerequisites) and hints.

Each function is one use case and one transaction, checks `can_organise` again and
raises `ValidationError(field, message)` with nothing saved. An "exact" flag is stored
only as a salted HMAC (`answers.prepare_answer`), so the edit form can never show it:
leaving the answer blank on an edit keeps the stored one.
"""

from dataclasses import dataclass

from app.competitions import answers
from app.competitions.joining import get_competition
from app.competitions.models import CHALLENGE, DYNAMIC, STATIC, Challenge, Hint
from app.competitions.permissions import require_organiser
from app.courses.progress import is_http_url
from app.extensions import db
from app.forum.errors import NotFound, ValidationError
from app.timeutil import utcnow
from app.web.markdown import render_markdown
from app.web.staff_input import all_or_nothing, clean_text, clean_title

MAX_TEXT, MAX_CATEGORY, MAX_POINTS = 50_000, 50, 10_000
MAX_BONUSES, MAX_ATTACHMENTS, MAX_URL = 3, 10, 500


@dataclass(frozen=True)
class ChallengeInput:
    """What the challenge form holds. `first_blood` is typed as "30, 20, 10";
    `attachments` as one http(s) link per line."""

    title: str
    statement: str = ""
    category: str = ""
    answer_mode: str = "exact"
    answer: str = ""
    scoring: str = STATIC
    value: int | None = 100
    initial: int | None = None
    minimum: int | None = None
    decay: int | None = None
    first_blood: str = ""
    prerequisite_ids: tuple[int, ...] = ()
    attachments: str = ""


@dataclass(frozen=True)
class HintInput:
    text: str
    cost: int | None = 0


def get_challenge(challenge_id: int) -> Challenge:
    challenge = db.session.get(Challenge, challenge_id)
    if challenge is None:
        raise NotFound("We could not find that challenge.")
    return challenge


def get_hint(hint_id: int) -> Hint:
    hint = db.session.get(Hint, hint_id)
    if hint is None:
        raise NotFound("We could not find that hint.")
    return hint


def create_challenge(actor, competition_id: int, data: ChallengeInput) -> Challenge:
    """A challenge at the end of the set, with a fresh salt for its flag."""
    require_organiser(actor)
    competition = get_competition(competition_id)
    if competition.kind != CHALLENGE:
        raise ValidationError("title", "Only challenge sets have challenges.")
    challenge = Challenge(competition_id=competition.id, answer_salt=answers.new_salt())
    with all_or_nothing():
        _apply(challenge, competition.challenges, data, new=True)
    challenge.position = max((c.position for c in competition.challenges), default=-1) + 1
    challenge.created_at = challenge.updated_at = utcnow()
    db.session.add(challenge)
    db.session.commit()
    return challenge


def update_challenge(actor, challenge_id: int, data: ChallengeInput) -> Challenge:
    """Save the challenge; a blank answer keeps the stored flag (and its mode)."""
    require_organiser(actor)
    challenge = get_challenge(challenge_id)
    with all_or_nothing():
        _apply(challenge, challenge.competition.challenges, data, new=False)
    challenge.updated_at = utcnow()
    db.session.commit()
    return challenge


def create_hint(actor, challenge_id: int, data: HintInput) -> Hint:
    """A hint at the end of the challenge's list; a cost of 0 makes it free."""
    require_organiser(actor)
    challenge = get_challenge(challenge_id)
    hint = Hint()
    with all_or_nothing():
        _apply_hint(hint, data)
    hint.position = max((h.position for h in challenge.hints), default=-1) + 1
    challenge.hints.append(hint)
    db.session.commit()
    return hint


def update_hint(actor, hint_id: int, data: HintInput) -> Hint:
    """Save the hint. People who unlocked it keep paying what it cost them then."""
    require_organiser(actor)
    hint = get_hint(hint_id)
    with all_or_nothing():
        _apply_hint(hint, data)
    db.session.commit()
    return hint


def _apply(challenge: Challenge, siblings: list[Challenge], data: ChallengeInput,
           *, new: bool) -> None:
    challenge.title = clean_title(data.title)
    challenge.statement = clean_text(data.statement, "statement", MAX_TEXT, required=True)
    challenge.statement_html = render_markdown(challenge.statement)
    challenge.category = clean_text(data.category, "category", MAX_CATEGORY)
    _apply_answer(challenge, data, new=new)
    _apply_scoring(challenge, data)
    challenge.first_blood = _bonuses(data.first_blood)
    challenge.attachments = _links(data.attachments)
    challenge.prerequisites = _prerequisites(challenge, siblings, data.prerequisite_ids)


def _apply_answer(challenge: Challenge, data: ChallengeInput, *, new: bool) -> None:
    if data.answer_mode not in answers.MODES:
        raise ValidationError("answer_mode", "Choose exact, case-insensitive or a regular "
                                             "expression.")
    if not data.answer.strip() and not new and data.answer_mode == challenge.answer_mode:
        return  # blank on an edit: keep the stored flag
    try:
        stored = answers.prepare_answer(data.answer_mode, data.answer, challenge.answer_salt)
    except answers.AnswerError as error:
        raise ValidationError("answer", str(error)) from None
    if len(stored) > answers.MAX_PATTERN_LENGTH:
        raise ValidationError("answer", f"Keep the answer under {answers.MAX_PATTERN_LENGTH:,} "
                                        "characters.")
    challenge.answer_mode, challenge.answer_stored = data.answer_mode, stored


def _apply_scoring(challenge: Challenge, data: ChallengeInput) -> None:
    if data.scoring == STATIC:
        challenge.value = _points(data.value, "value", low=0)
        challenge.initial = challenge.minimum = challenge.decay = None
    elif data.scoring == DYNAMIC:
        initial = _points(data.initial, "initial", low=1)
        minimum = _points(data.minimum, "minimum", low=0)
        if minimum > initial:
            raise ValidationError("minimum", "The minimum cannot be above the initial value.")
        if data.decay is None or not 1 <= data.decay <= 100_000:
            raise ValidationError("decay", "Give the number of solves after which the value "
                                           "reaches its minimum (1 or more).")
        challenge.initial, challenge.minimum, challenge.decay = initial, minimum, data.decay
        challenge.value = initial
    else:
        raise ValidationError("scoring", "Choose static or dynamic scoring.")
    challenge.scoring = data.scoring


def _points(value: int | None, field: str, *, low: int) -> int:
    if value is None or not low <= value <= MAX_POINTS:
        raise ValidationError(field, f"Give a number of points from {low} to {MAX_POINTS:,}.")
    return value


def _bonuses(text: str) -> list[int]:
    parts = [part for part in (text or "").replace(",", " ").split() if part]
    try:
        bonuses = [int(part) for part in parts]
    except ValueError:
        raise ValidationError("first_blood", "Write whole numbers of points, like 30, 20, 10.") \
            from None
    if len(bonuses) > MAX_BONUSES or any(not 0 <= b <= MAX_POINTS for b in bonuses):
        raise ValidationError("first_blood", f"Give up to {MAX_BONUSES} bonuses of 0 to "
                                             f"{MAX_POINTS:,} points, first solver first.")
    return bonuses


def _links(text: str) -> list[str]:
    links = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(links) > MAX_ATTACHMENTS:
        raise ValidationError("attachments", f"Attach up to {MAX_ATTACHMENTS} links.")
    for link in links:
        if len(link) > MAX_URL or not is_http_url(link):
            raise ValidationError("attachments", "Give each attachment as a full http:// or "
                                                 "https:// link, one per line.")
    return links


def _prerequisites(challenge: Challenge, siblings: list[Challenge],
                   ids: tuple[int, ...]) -> list[Challenge]:
    """The challenges to solve first: others of the same set, without a cycle."""
    by_id = {c.id: c for c in siblings if c.id is not None}
    wanted = list(dict.fromkeys(ids))
    if any(i not in by_id for i in wanted):
        raise ValidationError("prerequisite_ids", "Prerequisites must be challenges of this set.")
    if challenge.id is not None and challenge.id in wanted:
        raise ValidationError("prerequisite_ids", "A challenge cannot require itself.")
    if challenge.id is not None and _reaches(by_id, wanted, challenge.id):
        raise ValidationError("prerequisite_ids", "That would make a loop: a prerequisite "
                                                  "already requires this challenge.")
    return [by_id[i] for i in wanted]


def _reaches(by_id: dict[int, Challenge], start: list[int], target: int) -> bool:
    """Whether following prerequisites from `start` ever arrives at `target`."""
    seen, stack = set(), list(start)
    while stack:
        current = stack.pop()
        if current == target:
            return True
        if current not in seen:
            seen.add(current)
            stack.extend(p.id for p in by_id[current].prerequisites)
    return False


def _apply_hint(hint: Hint, data: HintInput) -> None:
    hint.text = clean_text(data.text, "text", MAX_TEXT, required=True)
    hint.text_html = render_markdown(hint.text)
    if data.cost is None or not 0 <= data.cost <= MAX_POINTS:
        raise ValidationError("cost", f"A hint costs 0 (free) to {MAX_POINTS:,} points.")
    hint.cost = data.cost
