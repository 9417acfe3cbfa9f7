"""The forms of the staff pages: they check shape, `user_actions` checks meaning."""

from wtforms import IntegerField, TextAreaField
from wtforms.validators import Length, Optional

from app.moderation.user_actions import MAX_DAYS, MAX_REASON_LENGTH
from app.web.forms import ServiceForm


class UserActionForm(ServiceForm):
    """One per action on the member page, told apart by `prefix` (the action's name)."""

    reason = TextAreaField("Reason (the member reads it)",
                           validators=[Length(max=MAX_REASON_LENGTH)])
    days = IntegerField("Days", validators=[Optional()], render_kw={"min": 1, "max": MAX_DAYS})
