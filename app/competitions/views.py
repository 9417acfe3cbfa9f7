"""Competition pages for everyone: the list, a competition, its board, answers and uploads.

Views parse the request, call the competition services and render or flash. The
services decide who may see and do what (member-only teasers, drafts, limits); the
refusals they raise become their HTTP status app-wide, except the few a page answers
on its form: a rejected file, an unticked rules box, a limit with its retry time.
"""

from datetime import datetime

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from app.competitions import (
    catalogue,
    challenge_board,
    challenges,
    joining,
    lifecycle,
    predictions,
    standings,
)
from app.competitions.errors import FileRejected, LimitReached
from app.competitions.forms import AnswerForm, FinalForm, JoinForm, UploadForm
from app.forum.errors import ValidationError
from app.timeutil import utcnow
from app.web import charts
from app.web.templating import viewer_timezone
from app.web.timefmt import to_local
from app.web.uploads import accepts_data_file

bp = Blueprint("competitions", __name__)
TOP_ON_PAGE = 10


def _viewer():
    return current_user._get_current_object()


def _back(slug: str, anchor: str | None = None):
    return redirect(url_for("competitions.competition", slug=slug, _anchor=anchor), 303)


# -- template helpers ---------------------------------------------------------------


@bp.app_template_global()
def competition_countdown(moment: datetime | None) -> str:
    """'2 days 4 hours', '3 hours 5 min', '12 min': the two largest units left until `moment`."""
    if moment is None:
        return ""
    seconds = int((moment - utcnow()).total_seconds())
    if seconds < 60:
        return "less than a minute"
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    units = [(days, "day", "days"), (hours, "hour", "hours"), (minutes, "min", "min")]
    shown = [f"{n} {one if n == 1 else many}" for n, one, many in units if n][:2]
    if days and not hours:
        shown = shown[:1]
    return " ".join(shown)


@bp.app_template_global()
def local_and_utc(moment: datetime | None) -> Markup:
    """A <time> in the viewer's zone, with the UTC time beside it when the zones differ."""
    if moment is None:
        return Markup("")
    local = to_local(moment, viewer_timezone())
    text = local.strftime("%a %-d %b %Y, %H:%M %Z")
    utc = lifecycle.when(moment)
    tag = Markup('<time datetime="{}Z" title="{}">{}</time>').format(
        moment.isoformat(), utc, text)
    if local.utcoffset():
        tag += Markup(' <span class="muted small">({})</span>').format(utc)
    return tag


@bp.app_template_filter()
def competition_score(value: float | None) -> str:
    """Points as whole numbers, metric scores to four decimals."""
    if value is None:
        return "–"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:.4f}"


# -- pages --------------------------------------------------------------------------


@bp.get("/competitions")
def index():
    overview = catalogue.competitions_overview(_viewer())
    return render_template("competitions/index.html", overview=overview,
                           winners=catalogue.winners([card.competition for card in overview.past]),
                           status_labels=lifecycle.LABELS)


def _render_competition(slug: str, *, join_form: JoinForm | None = None,
                        upload_form: UploadForm | None = None, status: int = 200):
    viewer = _viewer()
    page = catalogue.competition_page(viewer, slug)
    competition = page.competition
    challenge_list = board = None
    submissions = []
    if not page.locked:
        board = standings.get_standings(competition, viewer)
        if competition.is_prediction:
            submissions = predictions.my_submissions(viewer, competition)
        else:
            challenge_list = challenge_board.challenge_list(viewer, competition)
    return render_template(
        "competitions/competition.html", page=page, competition=competition,
        challenges=challenge_list, board=board, top=TOP_ON_PAGE, submissions=submissions,
        join_form=join_form or JoinForm(formdata=None), answer_form=AnswerForm(formdata=None),
        upload_form=upload_form or UploadForm(formdata=None),
    ), 403 if page.locked else status


@bp.get("/competitions/<slug>")
def competition(slug: str):
    return _render_competition(slug)


@bp.post("/competitions/<slug>/join")
@login_required
def join(slug: str):
    form = JoinForm()
    if not form.validate():
        return _render_competition(slug, join_form=form, status=422)
    target = catalogue.visible_competition(_viewer(), slug)
    joining.join(_viewer(), target.id)
    flash(f"You joined “{target.title}”. Good luck!", "success")
    return _back(slug)


@bp.post("/competitions/<slug>/challenges/<int:challenge_id>/answer")
@login_required
def answer(slug: str, challenge_id: int):
    form = AnswerForm()
    anchor = f"challenge-{challenge_id}"
    if not form.validate():
        flash(" ".join(form.answer.errors) or "Type an answer first.", "error")
        return _back(slug, anchor)
    try:
        result = challenges.submit_answer(_viewer(), challenge_id, form.answer.data)
    except LimitReached as error:
        flash(error.message, "warning")
        return _back(slug, anchor)
    flash(result.message, "success" if result.correct else "error")
    return _back(slug, anchor)


@bp.post("/competitions/<slug>/hints/<int:hint_id>/unlock")
@login_required
def unlock_hint(slug: str, hint_id: int):
    unlock = challenges.unlock_hint(_viewer(), hint_id)
    cost = f" {unlock.cost} point{'' if unlock.cost == 1 else 's'} came off your score." \
        if unlock.cost else ""
    flash(f"Hint unlocked.{cost}", "success")
    return _back(slug, f"hint-{hint_id}")


@bp.post("/competitions/<slug>/submit")
@accepts_data_file
@login_required
def submit(slug: str):
    form = UploadForm()
    if form.validate():
        target = catalogue.visible_competition(_viewer(), slug)
        upload = form.file.data
        try:
            submission = predictions.submit_predictions(
                _viewer(), target.id, upload.filename or "predictions.csv", upload.read())
        except FileRejected as error:
            form.apply_error(error)
        except LimitReached as error:
            flash(error.message, "warning")
            return _back(slug, "submit")
        else:
            flash(f"“{submission.filename}” is scored: "
                  f"{competition_score(submission.public_score)} on the public board.", "success")
            return _back(slug, "my-submissions")
    return _render_competition(slug, upload_form=form, status=422)


@bp.post("/competitions/<slug>/submissions/<int:submission_id>/final")
@login_required
def select_final(slug: str, submission_id: int):
    form = FinalForm()
    try:
        chosen = predictions.select_final(_viewer(), submission_id, bool(form.selected.data))
    except ValidationError as error:
        flash(error.message, "error")
    else:
        flash(f"“{chosen.filename}” "
              f"{'counts as a final submission' if chosen.selected_final else 'is no longer a final submission'}.",
              "success")
    return _back(slug, "my-submissions")


@bp.get("/competitions/<slug>/leaderboard")
def leaderboard(slug: str):
    viewer = _viewer()
    page = catalogue.competition_page(viewer, slug)
    competition = page.competition
    board = standings.get_standings(competition, viewer,
                                    board=request.args.get("board", standings.PUBLIC))
    history = standings.score_history(competition, viewer)
    finals = standings.final_standings(competition) if competition.finalized_at else []
    return render_template("competitions/leaderboard.html", page=page, competition=competition,
                           board=board, history=history, finals=finals,
                           chart=_chart(competition, history, board.as_of))


def _chart(competition, history, as_of: datetime | None) -> Markup | None:
    """The top entrants' scores over time as inline SVG (already escaped by `charts`)."""
    if not history:
        return None
    end = min(as_of or utcnow(), competition.ends_at)
    start = competition.starts_at
    zone = viewer_timezone()
    days = (end - start).total_seconds() / 86400
    fmt = "%H:%M" if days <= 1 else "%a %H:%M" if days <= 5 else "%-d %b"
    svg = charts.score_chart(
        [charts.Series(series.user.name, series.points) for series in history],
        start=start, end=max(end, start), title=f"Top {len(history)} scores over time",
        format_time=lambda moment: to_local(moment, zone).strftime(fmt))
    return Markup(svg)

