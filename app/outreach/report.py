"""The outreach report: for each campaign and subject variant, who was selected, sent,
held out, failed, clicked and came back, and whether the emails raised the return rate.

The hold-out is the control for the whole campaign: hold-out rows may carry a variant or
none, but every variant's sent group is compared with all of the campaign's hold-out, and
so is the campaign's total. Returns count only as far as `returned_at` has been filled
(a visit within 7 days), so a period younger than that reads low in both groups alike.
"""

from dataclasses import astuple, dataclass

from sqlalchemy import and_, case, func, select

from app.extensions import db
from app.outreach.models import EmailMessage, MessageStatus
from app.outreach.uplift import Uplift, compare_returns


@dataclass(frozen=True)
class Counts:
    """Message counts of one group: every row selected, then by what became of it."""

    selected: int = 0
    sent: int = 0
    held_out: int = 0
    failed: int = 0
    clicked: int = 0
    returned_sent: int = 0
    returned_held_out: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))


@dataclass(frozen=True)
class ReportRow:
    campaign: str
    variant: str | None  # None on a campaign's total row; "" for messages without one
    counts: Counts
    uplift: Uplift

    @property
    def is_total(self) -> bool:
        return self.variant is None

    @property
    def label(self) -> str:
        if self.variant is None:
            return "all"
        return self.variant or "(none)"


@dataclass(frozen=True)
class CampaignReport:
    campaign: str
    variants: list[ReportRow]
    total: ReportRow

    @property
    def rows(self) -> list[ReportRow]:
        return [*self.variants, self.total]


def outreach_report(campaign: str | None = None) -> list[CampaignReport]:
    """Every campaign (or the one named), by name, each with its variants and a total;
    an empty list when no message has been recorded yet. One grouped query."""
    return [_campaign_report(name, groups) for name, groups in _grouped_counts(campaign).items()]


def _grouped_counts(campaign: str | None) -> dict[str, dict[str, Counts]]:
    sent = EmailMessage.status == MessageStatus.SENT
    held_out = EmailMessage.status == MessageStatus.HELD_OUT
    returned = EmailMessage.returned_at.is_not(None)
    query = (
        select(
            EmailMessage.campaign,
            EmailMessage.variant,
            func.count(),
            _how_many(sent),
            _how_many(held_out),
            _how_many(EmailMessage.status == MessageStatus.FAILED),
            _how_many(EmailMessage.clicked_at.is_not(None)),
            _how_many(and_(sent, returned)),
            _how_many(and_(held_out, returned)),
        )
        .group_by(EmailMessage.campaign, EmailMessage.variant)
        .order_by(EmailMessage.campaign, EmailMessage.variant)
    )
    if campaign is not None:
        query = query.where(EmailMessage.campaign == campaign)
    grouped: dict[str, dict[str, Counts]] = {}
    for name, variant, *numbers in db.session.execute(query):
        grouped.setdefault(name, {})[variant] = Counts(*(int(n) for n in numbers))
    return grouped


def _how_many(condition):
    return func.sum(case((condition, 1), else_=0))


def _campaign_report(campaign: str, groups: dict[str, Counts]) -> CampaignReport:
    total = sum(groups.values(), Counts())

    def row(variant: str | None, counts: Counts) -> ReportRow:
        return ReportRow(campaign, variant, counts, compare_returns(
            sent=counts.sent, sent_returned=counts.returned_sent,
            held_out=total.held_out, held_out_returned=total.returned_held_out))

    return CampaignReport(campaign, [row(variant, counts) for variant, counts in groups.items()],
                          row(None, total))
