"""Forms for offering a bounty and voting to close. They check shape; the services check meaning.

`apply_error` puts a service's `ValidationError` on the field it names, so the page
re-renders with what was typed and the message next to it.
"""

from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from app.gamification.bounty_rules import AMOUNTS, MAX_REASON_LENGTH
from app.gamification.closing_rules import REASONS
from app.web.forms import ServiceForm, int_or_none


class OfferBountyForm(ServiceForm):
    amount = SelectField(
        "Bounty",
        coerce=int_or_none,
        choices=[SelectChoice(amount, f"{amount} points") for amount in AMOUNTS],
        validate_choice=False,  # the service says what a valid amount is
    )
    reason = TextAreaField(
        "Why are you offering it? (optional)",
        render_kw={"maxlength": MAX_REASON_LENGTH, "rows": 3},
    )


class CloseVoteForm(ServiceForm):
    reason = RadioField(
        "Why should this question be closed?",
        choices=[SelectChoice(slug, label) for slug, (label, _) in REASONS.items()],
        validate_choice=False,
    )
    duplicate = StringField(
        "Original question (for a duplicate)",
        render_kw={"placeholder": "Link or number of the original question"},
    )
