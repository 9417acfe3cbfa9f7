"""Forms of posting. They check shape (present, of the right type); the services check meaning.

`apply_error` puts a service's `ValidationError` on the field it names, so the page can
re-render with what was typed and the message next to it.
"""

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from app.forum.errors import ValidationError
from app.forum.validation import MAX_REASON_LENGTH
from app.web.forms import int_or_none

BODY_HINT = "Markdown: **bold**, `code`, ```fenced blocks```, [links](https://…)."
TAGS_HINT = "1 to 5 tags, separated by spaces or commas: letters, digits, + # . -"


class _PostingForm(FlaskForm):
    def apply_error(self, error: ValidationError) -> None:
        field = getattr(self, error.field, None) or self.body
        field.errors = [*field.errors, error.message]


class AskForm(_PostingForm):
    kind = HiddenField(default="question")
    title = StringField("Title", validators=[InputRequired("Add a title that sums up your post.")])
    category = SelectField(
        "Category",
        coerce=int_or_none,
        validators=[InputRequired("Choose a category.")],
        validate_choice=False,  # the service decides which categories this person may use
    )
    tags = StringField("Tags")
    body = TextAreaField("Body", validators=[InputRequired("Write something in the body.")])
    course = SelectField("Course (optional)", coerce=int_or_none, validate_choice=False)


class ReplyForm(_PostingForm):
    body = TextAreaField("Your answer", validators=[InputRequired("Write something first.")])
    reply_to = IntegerField(validators=[Optional()])


class EditForm(_PostingForm):
    title = StringField("Title")
    tags = StringField("Tags")
    course = SelectField("Course (optional)", coerce=int_or_none, validate_choice=False)
    body = TextAreaField("Body", validators=[InputRequired("Write something in the body.")])
    reason = StringField("Edit summary (optional)", render_kw={"maxlength": MAX_REASON_LENGTH})
