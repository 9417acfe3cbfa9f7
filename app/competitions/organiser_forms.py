"""Organisers' forms. They check shape; the competition services check meaning.

Times are typed in UTC in `datetime-local` boxes and read as naive UTC datetimes. A
challenge's answer is write-only: the box starts empty and is never filled from the
stored flag (a blank answer on an edit keeps it).
"""

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FieldList,
    FloatField,
    Form,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.competitions.challenge_editing import ChallengeInput, HintInput
from app.competitions.metrics import METRICS
from app.competitions.models import CHALLENGE, DYNAMIC, PREDICTION, STATIC
from app.competitions.organising import CompetitionInput, PrizeInput
from app.web.forms import ServiceForm

KIND_CHOICES = [SelectChoice(CHALLENGE, "Challenge set (CTF-style)"),
                SelectChoice(PREDICTION, "Prediction contest")]
MODE_CHOICES = [SelectChoice("exact", "Exact (stored only as a hash)"),
                SelectChoice("case_insensitive", "Exact, ignoring case"),
                SelectChoice("regex", "Regular expression")]
SCORING_CHOICES = [SelectChoice(STATIC, "Static: a fixed value"),
                   SelectChoice(DYNAMIC, "Dynamic: falls as people solve it")]
BLANK_PRIZE_ROWS = 5


class UtcTimeField(DateTimeLocalField):
    """A `datetime-local` box holding a UTC time; shown without seconds."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, [Optional(), *(validators or [])],
                         format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M",
                                 "%Y-%m-%d %H:%M:%S"],
                         invalid_value_message="Give a date and time like 2026-05-01 12:00 (UTC).",
                         **kwargs)


class PercentField(FloatField):
    """A fraction typed and shown as a percentage: 30 in the box is 0.3 in `data`."""

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data * 100:g}"

    def process_formdata(self, valuelist) -> None:
        super().process_formdata(valuelist)
        if self.data is not None:
            self.data = self.data / 100


class JoinedTextField(StringField):
    """A stored list shown as text (joined by `separator`); read back as the text typed,
    which the service splits and checks."""

    def __init__(self, label=None, validators=None, separator: str = ", ", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.separator = separator

    def process_data(self, value) -> None:
        if isinstance(value, list | tuple):
            value = self.separator.join(str(item) for item in value)
        super().process_data(value)


class JoinedTextAreaField(JoinedTextField):
    widget = TextAreaField.widget


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CompetitionForm(ServiceForm):
    kind = SelectField("Kind", choices=KIND_CHOICES, validate_choice=False)
    title = StringField("Title", render_kw={"maxlength": 150})
    slug = StringField("Address", render_kw={"maxlength": 80})
    summary = TextAreaField("Summary", render_kw={"maxlength": 300, "rows": 2})
    description = TextAreaField("Description (Markdown)", render_kw={"rows": 10})
    rules = TextAreaField("Rules (Markdown)", render_kw={"rows": 6})
    starts_at = UtcTimeField("Starts at (UTC)")
    ends_at = UtcTimeField("Ends at (UTC)")
    freeze_at = UtcTimeField("Board freezes at (UTC, optional)")
    member_only = BooleanField("Members only")
    requires_join = BooleanField("Entrants must join (accept the rules) first", default=True)
    metric = SelectField("Metric", validate_choice=False,
                         choices=[SelectChoice("", "Choose a metric…"),
                                  *(SelectChoice(slug, m.label) for slug, m in METRICS.items())])
    public_fraction = PercentField("Public part of the test set (%)", default=0.3,
                                   validators=[Optional()])
    daily_limit = IntegerField("Submissions a day", default=5, validators=[Optional()])
    max_final = IntegerField("Final submissions each entrant may choose", default=2,
                             validators=[Optional()])

    def to_input(self, kind: str | None = None) -> CompetitionInput:
        """`kind` is the stored one on an edit: the kind is chosen only at creation."""
        return CompetitionInput(
            kind=kind or self.kind.data or "", title=self.title.data or "",
            slug=self.slug.data or "", summary=self.summary.data or "",
            description=self.description.data or "", rules=self.rules.data or "",
            starts_at=self.starts_at.data, ends_at=self.ends_at.data,
            freeze_at=self.freeze_at.data, member_only=bool(self.member_only.data),
            requires_join=bool(self.requires_join.data), metric=self.metric.data or "",
            public_fraction=self.public_fraction.data, daily_limit=self.daily_limit.data,
            max_final=self.max_final.data)


class ChallengeForm(ServiceForm):
    """`others` are the set's other challenges, offered as prerequisites."""

    title = StringField("Title", render_kw={"maxlength": 150})
    category = StringField("Category", render_kw={"maxlength": 50, "placeholder": "web"})
    statement = TextAreaField("Statement (Markdown)", render_kw={"rows": 10})
    answer_mode = SelectField("Answer checked as", choices=MODE_CHOICES, validate_choice=False)
    answer = StringField("Answer (flag)", render_kw={"autocomplete": "off", "spellcheck": "false"})
    scoring = SelectField("Scoring", choices=SCORING_CHOICES, validate_choice=False)
    value = IntegerField("Value (static)", default=100, validators=[Optional()])
    initial = IntegerField("Initial value (dynamic)", validators=[Optional()])
    minimum = IntegerField("Minimum value (dynamic)", validators=[Optional()])
    decay = IntegerField("Solves until the minimum (dynamic)", validators=[Optional()])
    first_blood = JoinedTextField("First blood bonuses", render_kw={"placeholder": "30, 20, 10"})
    prerequisite_ids = CheckboxesField("Solve these first", coerce=int, choices=[],
                                       validate_choice=False)
    attachments = JoinedTextAreaField("Attachments", separator="\n",
                                      render_kw={"rows": 3, "placeholder": "https://"})

    def __init__(self, *args, others=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.prerequisite_ids.choices = [(c.id, c.title) for c in others]

    def to_input(self) -> ChallengeInput:
        return ChallengeInput(
            title=self.title.data or "", statement=self.statement.data or "",
            category=self.category.data or "", answer_mode=self.answer_mode.data or "",
            answer=self.answer.data or "", scoring=self.scoring.data or "",
            value=self.value.data, initial=self.initial.data, minimum=self.minimum.data,
            decay=self.decay.data, first_blood=self.first_blood.data or "",
            prerequisite_ids=tuple(self.prerequisite_ids.data or ()),
            attachments=self.attachments.data or "")


class HintForm(ServiceForm):
    text = TextAreaField("Hint (Markdown)", render_kw={"rows": 3})
    cost = IntegerField("Cost in points (0 is free)", default=0, validators=[Optional()])

    def to_input(self) -> HintInput:
        return HintInput(text=self.text.data or "", cost=self.cost.data)


class PrizeRowForm(Form):
    rank_from = IntegerField("From rank", validators=[Optional()])
    rank_to = IntegerField("To rank", validators=[Optional()])
    points = IntegerField("Points", validators=[Optional()])


class PrizeForm(ServiceForm):
    """The prize table as rows; the service's "prizes" errors show above the table."""

    rows = FieldList(FormField(PrizeRowForm))

    def add_blank_rows(self, count: int = BLANK_PRIZE_ROWS) -> None:
        for _ in range(count):
            self.rows.append_entry()

    def to_input(self) -> list[PrizeInput]:
        return [PrizeInput(row.rank_from.data, row.rank_to.data, row.points.data)
                for row in self.rows]


class GroundTruthForm(ServiceForm):
    file = FileField("Ground truth (CSV)", validators=[FileRequired("Choose a CSV file.")],
                     render_kw={"accept": ".csv,text/csv"})


class DisqualifyForm(ServiceForm):
    reason = StringField("Reason", render_kw={"maxlength": 500})
