"""Forms of moderation. They check shape; the flag and review services check meaning."""

from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from app.moderation.flag_rules import MAX_TEXT_LENGTH, REASONS
from app.web.forms import ServiceForm


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
