"""The organisers' pages: create and edit competitions, challenges, hints, prizes, ground
truth; rosters of entrants and submissions; disqualification."""

from flask import Blueprint

bp = Blueprint("organise", __name__)
