"""Course forms. They check shape; the services check meaning.

`apply_error` puts a service's `ValidationError` on the field it names, so the page
re-renders with what was typed and the message next to it.
"""

from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from app.courses.editing import CourseInput, LessonInput
from app.courses.paths import PathInput
from app.courses.progress import LEVELS
from app.forum.errors import ValidationError
from app.web.forms import ServiceForm, int_or_none


class CourseForm(ServiceForm):
    title = StringField("Title", render_kw={"maxlength": 150})
    slug = StringField("Address", render_kw={"maxlength": 80})
    summary = TextAreaField("Summary", render_kw={"maxlength": 300, "rows": 2})
    description = TextAreaField("Description (Markdown)", render_kw={"rows": 10})
    level = SelectField("Level", choices=[SelectChoice(level, level.capitalize()) for level in LEVELS],
                        validate_choice=False)
    tag_names = StringField("Tags", render_kw={"placeholder": "python, pandas"})
    member_only = BooleanField("Members only")

    def to_input(self) -> CourseInput:
        return CourseInput(title=self.title.data or "", slug=self.slug.data or "",
                           summary=self.summary.data or "", description=self.description.data or "",
                           level=self.level.data or "", tags=self.tag_names.data or "",
                           member_only=bool(self.member_only.data))


class LessonForm(ServiceForm):
    title = StringField("Title", render_kw={"maxlength": 150})
    slug = StringField("Address", render_kw={"maxlength": 80})
    body = TextAreaField("Lesson (Markdown)", render_kw={"rows": 18})
    video_url = StringField("Video link (optional)", render_kw={"placeholder": "https://"})
    estimated_minutes = IntegerField("Minutes it takes", default=5, validators=[Optional()])

    def to_input(self) -> LessonInput:
        return LessonInput(title=self.title.data or "", slug=self.slug.data or "",
                           body=self.body.data or "", video_url=self.video_url.data or "",
                           estimated_minutes=self.estimated_minutes.data)


class ReviewForm(ServiceForm):
    rating = SelectField("Rating", coerce=int_or_none, validate_choice=False,
                         choices=[SelectChoice(n, f"{n} star{'s' if n > 1 else ''}") for n in range(5, 0, -1)])
    comment = TextAreaField("Your review (optional)", render_kw={"rows": 4, "maxlength": 2000})


STEP_PREFIX = "step-"


class PathForm(ServiceForm):
    """The path's facts, and a course picker: each course has a step-number box
    (`step-<slug>`); the courses given a number make the path, in number order."""

    title = StringField("Title", render_kw={"maxlength": 150})
    slug = StringField("Address", render_kw={"maxlength": 80})
    summary = TextAreaField("Summary", render_kw={"maxlength": 300, "rows": 2})
    published = BooleanField("Published")

    def to_input(self, steps: dict[str, str]) -> PathInput:
        return PathInput(title=self.title.data or "", slug=self.slug.data or "",
                         summary=self.summary.data or "", course_slugs=ordered_slugs(steps),
                         published=bool(self.published.data))


def typed_steps(formdata) -> dict[str, str]:
    """What was typed in the picker, slug -> text, to check and to show again."""
    return {key.removeprefix(STEP_PREFIX): value.strip() for key, value in formdata.items()
            if key.startswith(STEP_PREFIX) and value.strip()}


def ordered_slugs(steps: dict[str, str]) -> tuple[str, ...]:
    """Course slugs by step number (ties keep the picker's order); a step that is not a
    whole number from 1 is refused, naming the course, before anything is saved."""
    numbered = []
    for slug, text in steps.items():
        if not text.isdigit() or int(text) < 1:
            raise ValidationError("courses", f"Give “{slug}” a whole step number from 1, "
                                             "or leave its box empty.")
        numbered.append((int(text), slug))
    return tuple(slug for _, slug in sorted(numbered, key=lambda pair: pair[0]))
