"""The topics demo threads are written from, one module per area."""

from app.seed.topics import data, databases, devops, python, web
from app.seed.topics.discussions import DISCUSSIONS, GENERIC_REPLIES

QUESTIONS = python.QUESTIONS + data.QUESTIONS + web.QUESTIONS + databases.QUESTIONS + devops.QUESTIONS

__all__ = ["DISCUSSIONS", "GENERIC_REPLIES", "QUESTIONS"]
