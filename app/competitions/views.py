"""Competition pages for everyone: the list, a competition, its board, answers and uploads."""

from flask import Blueprint

bp = Blueprint("competitions", __name__)
