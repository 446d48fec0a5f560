"""``client.outgoing_communications``: emails and texts Calendly sent for an
organization (reference §6.10; Enterprise, owner or admin)."""

from __future__ import annotations

from .._params import TimeArg, time_range
from ..models.outgoing_communications import OutgoingCommunication
from ..pagination import Paginator
from ._base import DEFAULT_PAGE_SIZE, Resource, require

__all__ = ["OutgoingCommunications"]


class OutgoingCommunications(Resource):
    """Outgoing communications endpoint."""

    def list(
        self,
        organization: str,
        *,
        min_created_at: TimeArg | None = None,
        max_created_at: TimeArg | None = None,
        count: int = DEFAULT_PAGE_SIZE,
        page_token: str | None = None,
    ) -> Paginator[OutgoingCommunication]:
        """Emails and SMS sent for an organization (``GET /outgoing_communications``).

        Each ``Page`` carries Calendly's ``total_count``.

        Parameters
        ----------
        organization:
            The organization's UUID or URI.
        min_created_at, max_created_at:
            Aware datetimes or ISO-8601 strings bounding ``created_at``.
        count, page_token:
            Page size (1-100) and a token to resume from.

        Raises
        ------
        InvalidInputError
            ``organization`` is missing or malformed, a time is naive or
            unparsable, the range is reversed, or ``count`` is out of range.
        """
        require(organization, "organization")
        earliest, latest = time_range(
            min_created_at, max_created_at, "min_created_at", "max_created_at"
        )
        params = {
            "organization": self._uri(organization, "organizations"),
            "min_created_at": earliest,
            "max_created_at": latest,
        }
        return self._list(
            "/outgoing_communications",
            OutgoingCommunication,
            params,
            count=count,
            page_token=page_token,
        )
