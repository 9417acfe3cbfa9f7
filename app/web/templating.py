"""Jinja filters and globals shared by every template."""

from datetime import datetime

from flask import Flask, request, url_for
from flask_login import current_user
from markupsafe import Markup, escape

from app.importers.attribution import post_attribution
from app.web.timefmt import humanize_delta, to_local


def viewer_timezone() -> str:
    if current_user.is_authenticated:
        return current_user.timezone or "UTC"
    return "UTC"


def time_tag(moment: datetime | None, relative: bool = True) -> Markup:
    """A <time> element: relative text, the exact local time on hover."""
    if moment is None:
        return Markup("")
    local = to_local(moment, viewer_timezone())
    exact = local.strftime("%Y-%m-%d %H:%M %Z")
    text = humanize_delta(moment) if relative else local.strftime("%b %-d, %Y %H:%M")
    return Markup(
        f'<time datetime="{moment.isoformat()}Z" title="{escape(exact)}">{escape(text)}</time>'
    )


def sentence(text: str | None) -> str:
    """A moderator's reason as a sentence of its own: trimmed, ending in a full stop
    unless it already ends in punctuation ("Let tempers cool" -> "Let tempers cool.")."""
    text = (text or "").strip()
    return text if not text or text[-1] in ".!?…\"'”)" else f"{text}."


def url_for_page(page: int) -> str:
    """The current URL with another `page` argument, keeping the other filters."""
    args = dict(request.args)
    args.update(request.view_args or {})
    args["page"] = page
    return url_for(request.endpoint, **args)


def install_template_helpers(app: Flask) -> None:
    app.add_template_filter(time_tag, "time")
    app.add_template_filter(sentence)
    app.add_template_global(url_for_page)
    app.add_template_global(post_attribution)

    @app.context_processor
    def _site():
        return {"site_name": app.config["SITE_NAME"]}
