"""Forms of moderation. They check shape; the flag, review, user-action and content-action
services check meaning."""

from wtforms import IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from app.moderation.flag_rules import MAX_TEXT_LENGTH, REASONS
from app.moderation.slow_mode_rules import MAX_MINUTES, MIN_MINUTES
from app.moderation.user_actions import MAX_DAYS, MAX_REASON_LENGTH
from app.web.forms import ServiceForm, int_or_none


class RoleForm(ServiceForm):
    """An admin's role change on the member page; the service checks who may."""

    role = SelectField("New role", choices=[], validate_choice=False)
    reason = TextAreaField("Reason (the member reads it)",
                           validators=[Length(max=MAX_REASON_LENGTH)])


class FlagForm(ServiceForm):
    reason = RadioField(
        "What is wrong with this post?",
        choices=[SelectChoice(slug, label) for slug, label in REASONS.items()],
        validate_choice=False,  # the service names an unknown reason
    )
    duplicate = StringField(
        "Original thread (for a duplicate)",
        render_kw={"placeholder": "Link or number of the original thread"})
    text = TextAreaField("Details (required for “Something else”)",
                         render_kw={"maxlength": MAX_TEXT_LENGTH, "rows": 3})


class UserActionForm(ServiceForm):
    """One per action on the member page, told apart by `prefix` (the action's name)."""

    reason = TextAreaField("Reason (the member reads it)",
                           validators=[Length(max=MAX_REASON_LENGTH)])
    days = IntegerField("Days", validators=[Optional()], render_kw={"min": 1, "max": MAX_DAYS})


def _reason_field() -> TextAreaField:
    return TextAreaField("Reason", validators=[Length(max=MAX_REASON_LENGTH)])


def _minutes_field() -> IntegerField:
    return IntegerField("Minutes between posts", validators=[Optional()],
                        render_kw={"min": MIN_MINUTES, "max": MAX_MINUTES})


class ThreadActionForm(ServiceForm):
    """One per action in a thread's Moderate panel, told apart by `prefix` (the action)."""

    reason = _reason_field()
    minutes = _minutes_field()
    category = SelectField("Move to", coerce=int_or_none, validate_choice=False)
    target = StringField("Merge into", render_kw={
        "placeholder": "Link or number of the thread to merge into"})


class CategorySlowModeForm(ServiceForm):
    """Slow mode on (prefix "slow") or off ("slow_off") for a whole category."""

    reason = _reason_field()
    minutes = _minutes_field()
