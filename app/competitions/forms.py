"""Competition forms. They check shape (a box ticked, a file chosen, an answer typed);
the services check meaning and raise errors the views put back on these forms."""

from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from app.web.forms import ServiceForm


class JoinForm(ServiceForm):
    accept_rules = BooleanField("I have read the rules and accept them",
                                validators=[DataRequired("Accept the rules to join.")])


class AnswerForm(ServiceForm):
    answer = StringField("Your answer", validators=[
        InputRequired("Type an answer first."),
        Length(max=1000, message="An answer is at most 1,000 characters.")],
        render_kw={"autocomplete": "off", "spellcheck": "false",
                   "maxlength": 1000, "placeholder": "flag{…}"})


class UploadForm(ServiceForm):
    file = FileField("Predictions (CSV)", validators=[FileRequired("Choose a CSV file to upload.")],
                     render_kw={"accept": ".csv,text/csv"})


class FinalForm(ServiceForm):
    selected = BooleanField("Final")

