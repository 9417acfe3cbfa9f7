"""Competitions, their challenges or ground truth, entrants, solves, submissions, results.

Only `app.competitions` services write these. A competition's status (draft, scheduled,
running, frozen, ended, finalized) is never stored: `lifecycle.status` derives it from
`published`, the UTC times and `finalized_at`, so it can never disagree with the clock.
Markdown is stored with its rendered HTML (`*_html`), as forum posts are.

What must stay secret stays out of reach of pages: the split secret, the ground truth
(its own table, so loading a competition never loads megabytes of answers) and challenge
answers (exact ones only as a salted HMAC).
"""

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.extensions import db
from app.timeutil import utcnow

CHALLENGE, PREDICTION = "challenge", "prediction"
KINDS = (CHALLENGE, PREDICTION)
STATIC, DYNAMIC = "static", "dynamic"

challenge_prerequisites = Table(
    "challenge_prerequisite",
    db.metadata,
    Column("challenge_id", ForeignKey("challenge.id", ondelete="CASCADE"), primary_key=True),
    Column("prerequisite_id", ForeignKey("challenge.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)


class Competition(db.Model):
    """A time-boxed contest: a challenge set (CTF-style) or a prediction contest.

    Times are naive UTC. Entries count from `starts_at` (inclusive) to `ends_at`
    (exclusive); from `freeze_at`, when set, others see the board as it stood then.
    """

    __table_args__ = (Index("ix_competition_published_starts", "published", "starts_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    title: Mapped[str] = mapped_column(String(150))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    summary: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    rules: Mapped[str] = mapped_column(Text, default="")
    rules_html: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    freeze_at: Mapped[datetime | None] = mapped_column(DateTime)
    finalized_at: Mapped[datetime | None] = mapped_column(DateTime)
    member_only: Mapped[bool] = mapped_column(Boolean, default=False)
    requires_join: Mapped[bool] = mapped_column(Boolean, default=True)
    # Prediction contests only.
    metric: Mapped[str | None] = mapped_column(String(20))
    public_fraction: Mapped[float] = mapped_column(Float, default=0.3)
    split_secret: Mapped[str] = mapped_column(String(64))
    daily_limit: Mapped[int] = mapped_column(Integer, default=5)
    max_final: Mapped[int] = mapped_column(Integer, default=2)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    created_by: Mapped[User | None] = relationship()
    prizes: Mapped[list["PrizeTier"]] = relationship(
        back_populates="competition", order_by="PrizeTier.rank_from",
        cascade="all, delete-orphan",
    )
    challenges: Mapped[list["Challenge"]] = relationship(
        back_populates="competition", order_by="Challenge.position, Challenge.id",
        cascade="all, delete-orphan",
    )

    @property
    def name(self) -> str:
        """What events, badges and notifications call any subject."""
        return self.title

    @property
    def is_prediction(self) -> bool:
        return self.kind == PREDICTION

    def __repr__(self) -> str:
        return f"<Competition {self.slug}>"


class GroundTruth(db.Model):
    """The organiser's answers to a prediction contest, as uploaded (one per competition).

    The raw bytes are kept, not a parsed copy: `prediction_file.parse_ground_truth` is the
    one reader, and the sha256 says which file scored which submission.
    """

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competition.id", ondelete="CASCADE"), unique=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    row_count: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class PrizeTier(db.Model):
    """Points paid through the ledger to each final rank from `rank_from` to `rank_to`."""

    __table_args__ = (UniqueConstraint("competition_id", "rank_from"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"))
    rank_from: Mapped[int] = mapped_column(Integer)
    rank_to: Mapped[int] = mapped_column(Integer)
    points: Mapped[int] = mapped_column(Integer)

    competition: Mapped[Competition] = relationship(back_populates="prizes")


class Entrant(db.Model):
    """A person in a competition: joining accepts its rules. Disqualified entrants keep
    their row (and the reason, and who decided) but vanish from every board."""

    __table_args__ = (
        UniqueConstraint("competition_id", "user_id"),
        Index("ix_entrant_user", "user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    joined_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    disqualified_at: Mapped[datetime | None] = mapped_column(DateTime)
    disqualified_reason: Mapped[str] = mapped_column(Text, default="")
    disqualified_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL")
    )

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    disqualified_by: Mapped[User | None] = relationship(foreign_keys=[disqualified_by_id])
    competition: Mapped[Competition] = relationship()

    @property
    def is_disqualified(self) -> bool:
        return self.disqualified_at is not None


class Challenge(db.Model):
    """One problem of a challenge set, with its flag and how much solving it is worth.

    `answer_stored` is what `answers.prepare_answer` returned: an HMAC for "exact", the
    text for "case_insensitive", the pattern for "regex". Static challenges are worth
    `value`; dynamic ones fall from `initial` to `minimum` over `decay` solves (CTFd).
    `first_blood` lists the bonuses of the first solvers, e.g. [30, 20, 10].
    """

    __table_args__ = (Index("ix_challenge_competition_position", "competition_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(150))
    statement: Mapped[str] = mapped_column(Text, default="")
    statement_html: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(50), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    answer_mode: Mapped[str] = mapped_column(String(20))
    answer_stored: Mapped[str] = mapped_column(String(1000))
    answer_salt: Mapped[str] = mapped_column(String(32))
    scoring: Mapped[str] = mapped_column(String(10), default=STATIC)
    value: Mapped[int] = mapped_column(Integer, default=100)
    initial: Mapped[int | None] = mapped_column(Integer)
    minimum: Mapped[int | None] = mapped_column(Integer)
    decay: Mapped[int | None] = mapped_column(Integer)
    first_blood: Mapped[list] = mapped_column(JSON, default=list)
    attachments: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    competition: Mapped[Competition] = relationship(back_populates="challenges")
    prerequisites: Mapped[list["Challenge"]] = relationship(
        secondary=challenge_prerequisites,
        primaryjoin=lambda: Challenge.id == challenge_prerequisites.c.challenge_id,
        secondaryjoin=lambda: Challenge.id == challenge_prerequisites.c.prerequisite_id,
        order_by=lambda: Challenge.position,
    )
    hints: Mapped[list["Hint"]] = relationship(
        back_populates="challenge", order_by="Hint.position, Hint.id",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<Challenge {self.competition_id}/{self.id}>"


class Hint(db.Model):
    """Help for a challenge; unlocking it costs `cost` points of the competition score."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenge.id", ondelete="CASCADE"),
                                              index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    text_html: Mapped[str] = mapped_column(Text, default="")
    cost: Mapped[int] = mapped_column(Integer, default=0)

    challenge: Mapped[Challenge] = relationship(back_populates="hints")


class HintUnlock(db.Model):
    """A hint opened by an entrant, once; `cost` is what it cost then, so editing the
    hint's price later never rewrites anyone's score."""

    __table_args__ = (
        UniqueConstraint("user_id", "hint_id"),
        Index("ix_hint_unlock_competition", "competition_id", "unlocked_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    hint_id: Mapped[int] = mapped_column(ForeignKey("hint.id", ondelete="CASCADE"))
    cost: Mapped[int] = mapped_column(Integer)
    unlocked_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Attempt(db.Model):
    """Every answer typed at a challenge, right or wrong: the attempt limit counts these,
    and organisers read them. Wrong answers keep their text (cut to 200 characters);
    right ones keep none, since that text is the flag."""

    __table_args__ = (Index("ix_attempt_user_challenge_time", "user_id", "challenge_id",
                            "submitted_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenge.id", ondelete="CASCADE"),
                                              index=True)
    submitted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    correct: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str] = mapped_column(String(200), default="")


class Solve(db.Model):
    """A challenge solved by an entrant: once, whatever the race (the unique key)."""

    __table_args__ = (
        UniqueConstraint("user_id", "challenge_id"),
        Index("ix_solve_competition_time", "competition_id", "solved_at"),
        Index("ix_solve_challenge_time", "challenge_id", "solved_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"))
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenge.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    solved_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Submission(db.Model):
    """An accepted prediction file: its hash and both scores, never the file itself.

    `private_score` is secret until the end; `metric_version` names the formula that
    produced the scores. Rejected files leave no row, so they never count.
    """

    __table_args__ = (
        Index("ix_submission_competition_time", "competition_id", "created_at"),
        Index("ix_submission_user_competition_time", "user_id", "competition_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    row_count: Mapped[int] = mapped_column(Integer)
    public_score: Mapped[float] = mapped_column(Float)
    private_score: Mapped[float] = mapped_column(Float)
    metric: Mapped[str] = mapped_column(String(20))
    metric_version: Mapped[str] = mapped_column(String(40))
    truth_sha256: Mapped[str] = mapped_column(String(64))
    selected_final: Mapped[bool] = mapped_column(Boolean, default=False)

    user: Mapped[User] = relationship()


class FinalStanding(db.Model):
    """One line of a finalized competition's results, written once by `finalize`.

    `public_rank` and `movement` are for prediction contests: the place on the public
    board and the places gained (+) or lost (-) when the private board decided.
    """

    __table_args__ = (
        UniqueConstraint("competition_id", "user_id"),
        UniqueConstraint("competition_id", "rank", name="uq_final_standing_competition_rank"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    rank: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    reached_at: Mapped[datetime] = mapped_column(DateTime)
    entries: Mapped[int] = mapped_column(Integer, default=0)
    public_rank: Mapped[int | None] = mapped_column(Integer)
    movement: Mapped[int | None] = mapped_column(Integer)
    prize_points: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship()
