"""The event log and the tables the insights jobs compute from it.

One module per sub-domain; importing this package registers them all with the metadata.
"""

from app.insights.models import communities, engagement, recommendations  # noqa: F401
from app.insights.models.event import Event

__all__ = ["Event"]
