"""Pages that read the insights: "For you" and the interests a person picks."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.forum import listing
from app.insights import interests
from app.insights.forms import InterestsForm
from app.insights.recommendation_reads import answerable_for, courses_for, threads_for
from app.web.security import is_safe_redirect

bp = Blueprint("insights", __name__)

TOPICS_OFFERED = 30


def _viewer():
    return current_user._get_current_object() if current_user.is_authenticated else None


@bp.get("/for-you")
def for_you():
    viewer = _viewer()
    return render_template(
        "insights/for_you.html", threads=threads_for(viewer, limit=20),
        courses=courses_for(viewer, limit=10), answerable=answerable_for(viewer, limit=10),
    )


@bp.route("/interests", methods=["GET", "POST"])
@login_required
def pick_interests():
    viewer = _viewer()
    chosen = [tag.name for tag in interests.interests_of(viewer)]
    form = InterestsForm(interests=chosen)
    offered = [tag.name for tag, _ in listing.popular_tags(viewer, limit=TOPICS_OFFERED)]
    form.interests.choices = [(name, name) for name in sorted({*offered, *chosen})]
    target = request.args.get("next")
    if form.validate_on_submit():
        try:
            picked = interests.set_interests(viewer, form.interests.data or [])
        except interests.InterestError as error:
            form.interests.errors = [error.message]
        else:
            flash(f"Saved: {len(picked)} topic{'' if len(picked) == 1 else 's'} you follow. "
                  "Your picks on the home page start from them." if picked else
                  "Saved: no topics. You will see what is popular.", "success")
            return redirect(target if is_safe_redirect(target) else url_for("insights.for_you"))
    status = 422 if form.errors else 200
    return render_template("insights/interests.html", form=form,
                           welcome=request.args.get("welcome") == "1"), status
