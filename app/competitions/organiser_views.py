"""Staff pages for running competitions: settings, challenges and hints, prizes, ground
truth, the roster. Every service checks `can_organise` again; these pages only add the
login and the 403 in front."""


from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.competitions import (
    catalogue,
    challenge_board,
    challenge_editing,
    ground_truth,
    lifecycle,
    organising,
    roster,
    standings,
)
from app.competitions.joining import get_competition
from app.competitions.organiser_forms import (
    ChallengeForm,
    CompetitionForm,
    DisqualifyForm,
    GroundTruthForm,
    HintForm,
    PrizeForm,
)
from app.competitions.permissions import can_organise
from app.forum.errors import Conflict, ValidationError
from app.web.access import allowed_by
from app.web.pagination import page_number
from app.web.uploads import accepts_data_file

bp = Blueprint("organise", __name__)


def _viewer():
    return current_user._get_current_object()


_staff_only = allowed_by(can_organise)


# -- competitions ------------------------------------------------------------------


@bp.get("/admin/competitions")
@_staff_only
def index():
    competitions = organising.all_competitions(_viewer())
    return render_template("competitions/admin/competitions.html", competitions=competitions,
                           statuses={c.id: lifecycle.LABELS[lifecycle.status(c)]
                                     for c in competitions},
                           entrants=catalogue.entrant_counts([c.id for c in competitions]))


@bp.route("/admin/competitions/new", methods=["GET", "POST"])
@_staff_only
def new_competition():
    form = CompetitionForm()
    if form.validate_on_submit():
        try:
            created = organising.create_competition(_viewer(), form.to_input())
        except ValidationError as error:
            form.apply_error(error)
        else:
            flash(f"Competition “{created.title}” created as a draft.", "success")
            return redirect(url_for(_next_step(created), competition_id=created.id), 303)
    return render_template("competitions/admin/competition_form.html", form=form,
                           competition=None)


def _next_step(competition) -> str:
    return "organise.ground_truth_page" if competition.is_prediction else "organise.challenges"


@bp.route("/admin/competitions/<int:competition_id>/edit", methods=["GET", "POST"])
@_staff_only
def edit_competition(competition_id: int):
    target = get_competition(competition_id)
    form = CompetitionForm(obj=target)
    if form.validate_on_submit():
        try:
            organising.update_competition(_viewer(), target.id, form.to_input(kind=target.kind))
        except ValidationError as error:
            form.apply_error(error)
        else:
            flash(f"Competition “{target.title}” saved.", "success")
            return redirect(url_for("organise.index"), 303)
    return render_template("competitions/admin/competition_form.html", form=form,
                           competition=target)


@bp.post("/admin/competitions/<int:competition_id>/publish")
@_staff_only
def publish(competition_id: int):
    published = request.form.get("published") == "1"
    try:
        target = organising.set_published(_viewer(), competition_id, published)
    except (ValidationError, Conflict) as error:
        flash(error.message, "error")
    else:
        flash(f"“{target.title}” is {'published' if published else 'a draft again'}.", "success")
    return redirect(url_for("organise.index"), 303)


# -- challenges and hints ----------------------------------------------------------


@bp.get("/admin/competitions/<int:competition_id>/challenges")
@_staff_only
def challenges(competition_id: int):
    target = get_competition(competition_id)
    cards = [] if target.is_prediction else challenge_board.challenge_list(_viewer(), target).cards
    return render_template("competitions/admin/challenges.html", competition=target,
                           cards=cards)


@bp.route("/admin/competitions/<int:competition_id>/challenges/new", methods=["GET", "POST"])
@_staff_only
def new_challenge(competition_id: int):
    target = get_competition(competition_id)
    form = ChallengeForm(others=target.challenges)
    if form.validate_on_submit():
        try:
            created = challenge_editing.create_challenge(_viewer(), target.id, form.to_input())
        except ValidationError as error:
            form.apply_error(error)
        else:
            flash(f"Challenge “{created.title}” added.", "success")
            return redirect(url_for("organise.edit_challenge", challenge_id=created.id), 303)
    return render_template("competitions/admin/challenge_form.html", form=form,
                           competition=target, challenge=None)


@bp.route("/admin/challenges/<int:challenge_id>/edit", methods=["GET", "POST"])
@_staff_only
def edit_challenge(challenge_id: int):
    target = challenge_editing.get_challenge(challenge_id)
    form = _challenge_form(target)
    if form.validate_on_submit():
        try:
            challenge_editing.update_challenge(_viewer(), target.id, form.to_input())
        except ValidationError as error:
            form.apply_error(error)
        else:
            flash(f"Challenge “{target.title}” saved.", "success")
            return redirect(url_for("organise.challenges", competition_id=target.competition_id),
                            303)
    return _render_challenge(target, form)


def _challenge_form(challenge, *, from_request: bool = True) -> ChallengeForm:
    """The challenge's form: filled from the request, or (under a hint's refused post)
    from the stored challenge alone."""
    others = [c for c in challenge.competition.challenges if c.id != challenge.id]
    source = {} if from_request else {"formdata": None}
    return ChallengeForm(obj=challenge, others=others, **source,
                         prerequisite_ids=[p.id for p in challenge.prerequisites])


def _render_challenge(challenge, form: ChallengeForm, *, new_hint: HintForm | None = None,
                      failed_hint: tuple[int, HintForm] | None = None, status: int = 200):
    """The challenge's page: its form, its hints (each editable) and the add-hint form;
    a refused hint form is shown again in its place with what was typed."""
    hint_forms = {hint.id: HintForm(formdata=None, obj=hint, prefix=f"hint-{hint.id}")
                  for hint in challenge.hints}
    if failed_hint is not None:
        hint_forms[failed_hint[0]] = failed_hint[1]
    return render_template(
        "competitions/admin/challenge_form.html", form=form, competition=challenge.competition,
        challenge=challenge, hint_forms=hint_forms,
        new_hint=new_hint or HintForm(formdata=None, prefix="new-hint")), status


@bp.post("/admin/challenges/<int:challenge_id>/hints")
@_staff_only
def new_hint(challenge_id: int):
    target = challenge_editing.get_challenge(challenge_id)
    form = HintForm(prefix="new-hint")
    if form.validate_on_submit():
        try:
            challenge_editing.create_hint(_viewer(), target.id, form.to_input())
        except ValidationError as error:
            form.apply_error(error)
        else:
            flash("Hint added.", "success")
            return redirect(url_for("organise.edit_challenge", challenge_id=target.id,
                                    _anchor="hints"), 303)
    return _render_challenge(target, _challenge_form(target, from_request=False),
                             new_hint=form, status=422)


@bp.post("/admin/hints/<int:hint_id>/edit")
@_staff_only
def edit_hint(hint_id: int):
    hint = challenge_editing.get_hint(hint_id)
    form = HintForm(prefix=f"hint-{hint.id}")
    if form.validate_on_submit():
        try:
            challenge_editing.update_hint(_viewer(), hint.id, form.to_input())
        except ValidationError as error:
            form.apply_error(error)
        else:
            flash("Hint saved.", "success")
            return redirect(url_for("organise.edit_challenge", challenge_id=hint.challenge_id,
                                    _anchor="hints"), 303)
    return _render_challenge(hint.challenge, _challenge_form(hint.challenge, from_request=False),
                             failed_hint=(hint.id, form), status=422)


@bp.get("/admin/challenges/<int:challenge_id>/attempts")
@_staff_only
def attempts(challenge_id: int):
    target = challenge_editing.get_challenge(challenge_id)
    return render_template("competitions/admin/attempts.html", challenge=target,
                           competition=target.competition,
                           page=roster.attempts_page(_viewer(), target, page=page_number()))


# -- prizes and ground truth -------------------------------------------------------


@bp.route("/admin/competitions/<int:competition_id>/prizes", methods=["GET", "POST"])
@_staff_only
def prizes(competition_id: int):
    target = get_competition(competition_id)
    form = PrizeForm(data={"rows": [
        {"rank_from": t.rank_from, "rank_to": t.rank_to, "points": t.points}
        for t in target.prizes]})
    if form.validate_on_submit():
        try:
            organising.set_prizes(_viewer(), target.id, form.to_input())
        except ValidationError as error:
            form.apply_error(error)
        else:
            flash(f"Prize table of “{target.title}” saved.", "success")
            return redirect(url_for("organise.prizes", competition_id=target.id), 303)
    elif request.method == "GET":
        form.add_blank_rows()
    return render_template("competitions/admin/prizes.html", form=form, competition=target)


@bp.route("/admin/competitions/<int:competition_id>/ground-truth", methods=["GET", "POST"])
@accepts_data_file
@_staff_only
def ground_truth_page(competition_id: int):
    target = get_competition(competition_id)
    form, status = GroundTruthForm(), 200
    if form.validate_on_submit():
        upload = form.file.data
        try:
            ground_truth.upload_ground_truth(_viewer(), target.id, upload.filename or "",
                                             upload.read())
        except ValidationError as error:
            form.apply_error(error)
        else:
            flash("Ground truth uploaded and checked against the split.", "success")
            return redirect(url_for("organise.ground_truth_page", competition_id=target.id), 303)
    if form.errors or form.form_errors:
        status = 422
    return render_template("competitions/admin/ground_truth.html", form=form, competition=target,
                           truth=ground_truth.truth_info(target)), status


# -- roster ------------------------------------------------------------------------


@bp.get("/admin/competitions/<int:competition_id>/entrants")
@_staff_only
def entrants(competition_id: int):
    return _render_entrants(get_competition(competition_id))


def _render_entrants(competition, *, failed: tuple[int, DisqualifyForm] | None = None,
                     status: int = 200):
    """The entrants with their place on the live board; `failed` is a refused
    disqualification (user id, form), shown again in its row."""
    page = roster.entrants_page(_viewer(), competition, page=page_number())
    forms = {e.user_id: DisqualifyForm(formdata=None, prefix=f"dq-{e.user_id}")
             for e in page.items}
    if failed is not None:
        forms[failed[0]] = failed[1]
    board = standings.get_standings(competition, _viewer())
    return render_template("competitions/admin/entrants.html", competition=competition,
                           page=page, forms=forms,
                           board={row.user.id: row for row in board.rows}), status


@bp.post("/admin/competitions/<int:competition_id>/entrants/<int:user_id>/disqualify")
@_staff_only
def disqualify(competition_id: int, user_id: int):
    target = get_competition(competition_id)
    form = DisqualifyForm(prefix=f"dq-{user_id}")
    if form.validate_on_submit():
        try:
            entrant = organising.disqualify(_viewer(), target.id, user_id, form.reason.data or "")
        except ValidationError as error:
            form.apply_error(error)
        else:
            flash(f"{entrant.user.name} is disqualified and off the boards.", "success")
            return redirect(url_for("organise.entrants", competition_id=target.id), 303)
    return _render_entrants(target, failed=(user_id, form), status=422)


@bp.post("/admin/competitions/<int:competition_id>/entrants/<int:user_id>/reinstate")
@_staff_only
def reinstate(competition_id: int, user_id: int):
    entrant = organising.reinstate(_viewer(), competition_id, user_id)
    flash(f"{entrant.user.name} is reinstated.", "success")
    return redirect(url_for("organise.entrants", competition_id=competition_id), 303)


@bp.get("/admin/competitions/<int:competition_id>/submissions")
@_staff_only
def submissions(competition_id: int):
    target = get_competition(competition_id)
    return render_template("competitions/admin/submissions.html", competition=target,
                           page=roster.submissions_page(_viewer(), target, page=page_number()))
