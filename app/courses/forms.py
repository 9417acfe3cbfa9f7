"""Course forms. They check shape; the services check meaning.

`apply_error` puts a service's `ValidationError` on the field it names, so the page
re-renders with what was typed and the message next to it.
"""

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from app.courses.editing import CourseInput, LessonInput
from app.courses.paths import PathInput
from app.courses.progress import LEVELS
from app.forum.errors import ValidationError


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class _ServiceForm(FlaskForm):
    def apply_error(self, error: ValidationError) -> None:
        field = getattr(self, error.field, None)
        if field is None or not hasattr(field, "errors"):
            self.form_errors.append(error.message)
        else:
            field.errors = [*field.errors, error.message]


class CourseForm(_ServiceForm):
    title = StringField("Title", render_kw={"maxlength": 150})
    slug = StringField("Address", render_kw={"maxlength": 80})
    summary = TextAreaField("Summary", render_kw={"maxlength": 300, "rows": 2})
    description = TextAreaField("Description (Markdown)", render_kw={"rows": 10})
    level = SelectField("Level", choices=[(level, level.capitalize()) for level in LEVELS],
                        validate_choice=False)
    tag_names = StringField("Tags", render_kw={"placeholder": "python, pandas"})
    member_only = BooleanField("Members only")

    def to_input(self) -> CourseInput:
        return CourseInput(title=self.title.data or "", slug=self.slug.data or "",
                           summary=self.summary.data or "", description=self.description.data or "",
                           level=self.level.data or "", tags=self.tag_names.data or "",
                           member_only=bool(self.member_only.data))


class LessonForm(_ServiceForm):
    title = StringField("Title", render_kw={"maxlength": 150})
    slug = StringField("Address", render_kw={"maxlength": 80})
    body = TextAreaField("Lesson (Markdown)", render_kw={"rows": 18})
    video_url = StringField("Video link (optional)", render_kw={"placeholder": "https://"})
    estimated_minutes = IntegerField("Minutes it takes", default=5, validators=[Optional()])

    def to_input(self) -> LessonInput:
        return LessonInput(title=self.title.data or "", slug=self.slug.data or "",
                           body=self.body.data or "", video_url=self.video_url.data or "",
                           estimated_minutes=self.estimated_minutes.data)


class ReviewForm(_ServiceForm):
    rating = SelectField("Rating", coerce=_int_or_none, validate_choice=False,
                         choices=[(n, f"{n} star{'s' if n > 1 else ''}") for n in range(5, 0, -1)])
    comment = TextAreaField("Your review (optional)", render_kw={"rows": 4, "maxlength": 2000})


class PathForm(_ServiceForm):
    title = StringField("Title", render_kw={"maxlength": 150})
    slug = StringField("Address", render_kw={"maxlength": 80})
    summary = TextAreaField("Summary", render_kw={"maxlength": 300, "rows": 2})
    courses = TextAreaField("Courses, in order", render_kw={"rows": 8})
    published = BooleanField("Published")

    def to_input(self) -> PathInput:
        return PathInput(title=self.title.data or "", slug=self.slug.data or "",
                         summary=self.summary.data or "",
                         course_slugs=tuple((self.courses.data or "").split()),
                         published=bool(self.published.data))
