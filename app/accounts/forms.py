"""Account forms: they check shape (present, length, an address); the services check
meaning (taken, too weak, wrong password, a real time zone)."""

from functools import cache
from zoneinfo import available_timezones

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from app.accounts.errors import AccountError

REQUIRED = "This field is required."


class RegisterForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(REQUIRED), Length(max=30)])
    email = EmailField(
        "Email", validators=[DataRequired(REQUIRED), Email("Enter a valid email address."), Length(max=254)]
    )
    display_name = StringField("Display name (optional)", validators=[Optional(), Length(max=60)])
    password = PasswordField("Password", validators=[DataRequired(REQUIRED), Length(max=200)])
    email_digest = BooleanField("Email me a digest of what I missed when I have been away")


class LoginForm(FlaskForm):
    identifier = StringField("Username or email", validators=[DataRequired(REQUIRED), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(REQUIRED)])
    remember = BooleanField("Remember me")
    next = HiddenField()


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        "Email", validators=[DataRequired(REQUIRED), Email("Enter a valid email address."), Length(max=254)]
    )


class ResetPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[DataRequired(REQUIRED), Length(max=200)])


class ProfileForm(FlaskForm):
    display_name = StringField("Display name", validators=[Optional(), Length(max=60)])
    bio = TextAreaField("About you", validators=[Optional(), Length(max=5000)])


class SettingsForm(FlaskForm):
    hide_from_leaderboards = BooleanField("Hide me from public leaderboards")
    personalise = BooleanField("Personalise what I see from my activity")
    # The service checks the zone; the list is only what the select offers.
    timezone = SelectField("Time zone", validate_choice=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = timezone_choices()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired(REQUIRED)])
    new_password = PasswordField("New password", validators=[DataRequired(REQUIRED), Length(max=200)])


class DeleteAccountForm(FlaskForm):
    password = PasswordField("Your password", validators=[DataRequired(REQUIRED)])
    remove_posts = BooleanField("Also remove my questions, answers and replies")


@cache
def timezone_choices() -> list[str]:
    return sorted(available_timezones())


def attach_error(form: FlaskForm, error: AccountError) -> None:
    """Show a service's error under the field it names (or above the form)."""
    field = form._fields.get(error.field or "")
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)
