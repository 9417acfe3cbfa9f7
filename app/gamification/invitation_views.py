"""Invitations: a member's personal invite link and the landing page it leads to."""

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required

from app.gamification import invitations
from app.web.pagination import page_number

bp = Blueprint("invitations", __name__)


@bp.get("/invite")
@login_required
def invite():
    page = invitations.invite_page(current_user, page=page_number())
    return render_template(
        "gamification/invite.html",
        invite=page,
        link=url_for("invitations.join", token=page.token, _external=True),
    )


@bp.get("/join/<token>")
def join(token: str):
    inviter = invitations.inviter_for_token(token)
    if current_user.is_authenticated:
        if inviter is not None and inviter.id == current_user.id:
            flash("That is your own invite link: share it with friends who are not members yet.",
                  "info")
        else:
            flash("You already have an account, so there is nothing to join.", "info")
        return redirect(url_for("browse.home"))
    if inviter is None:
        session.pop(invitations.SESSION_KEY, None)
        flash("That invite link is not valid, but you are welcome to sign up anyway.", "error")
    else:
        session[invitations.SESSION_KEY] = inviter.id
        flash(f"{inviter.name} invited you. Create your account to join them.", "info")
    return redirect(url_for("accounts.register"))


@bp.app_template_global()
def invites_for(user):
    """Who joined through `user`'s link, for `_profile_invites.html` (one query)."""
    return invitations.profile_invites(user)
