"""Forms for category administration: shape only; `categories.py` checks meaning."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, ColorField, HiddenField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length

from app.forum.categories import CategoryInput


class CategoryForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=60)])
    slug = StringField("Slug", validators=[Length(max=60)])
    description = TextAreaField("Description", validators=[Length(max=500)])
    color = ColorField("Colour", default="#3b82f6", validators=[DataRequired()])
    member_only = BooleanField("Members only")

    def to_input(self) -> CategoryInput:
        return CategoryInput(
            name=self.name.data or "",
            slug=self.slug.data or "",
            description=self.description.data or "",
            color=self.color.data or "",
            member_only=bool(self.member_only.data),
        )


class MoveCategoryForm(FlaskForm):
    direction = HiddenField(validators=[AnyOf(["up", "down"])])
