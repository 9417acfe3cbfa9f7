"""Message forms check shape; `app.messages.services` checks meaning."""

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired

from app.forum.errors import ValidationError
from app.forum.forms import BODY_HINT


class _MessageForm(FlaskForm):
    def apply_error(self, error: ValidationError) -> None:
        field = getattr(self, error.field, None) or self.body
        field.errors = [*field.errors, error.message]


class NewConversationForm(_MessageForm):
    recipients = StringField("To", validators=[InputRequired("Name at least one person.")],
                             description="Usernames, separated by commas (up to 9 people).")
    subject = StringField("Subject")
    body = TextAreaField("Message", validators=[InputRequired("Write something first.")],
                         description=BODY_HINT)

    def usernames(self) -> list[str]:
        return self.recipients.data.replace(";", ",").split(",")


class ContactModeratorsForm(_MessageForm):
    subject = StringField("Subject")
    body = TextAreaField("Message", validators=[InputRequired("Write something first.")],
                         description=BODY_HINT)


class ReplyForm(_MessageForm):
    body = TextAreaField("Reply", validators=[InputRequired("Write something first.")],
                         description=BODY_HINT)


class ReportForm(_MessageForm):
    reason = TextAreaField("What is wrong with it?",
                           validators=[InputRequired("Say what is wrong.")])


class ResolveForm(_MessageForm):
    note = StringField("What you did", validators=[InputRequired("Say what you did.")])
