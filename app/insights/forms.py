from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


class InterestsForm(FlaskForm):
    # The service checks the names; the choices are only what the page offers to tick.
    interests = SelectMultipleField(
        "Topics", validate_choice=False,
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
    )
