"""``client.activity_log``: the organization's audit log (reference §6.10; Enterprise)."""

from __future__ import annotations

from collections.abc import Sequence

from .._params import TimeArg, name_list, time_range
from ..models.activity_log import ActivityLogEntry
from ..pagination import Paginator
from ._base import DEFAULT_PAGE_SIZE, Resource, require
from ._choices import ActivityLogSort
from ._inputs import check_text, choice_list, optional

__all__ = ["ActivityLog"]

MAX_PAGE_SIZE = 1000
"""Calendly rule: the activity log allows ``count`` up to 1000 (other lists: 100)."""

_MAX_SEARCH_TERM = 300
"""Calendly rule: ``search_term`` is at most 300 characters."""


class ActivityLog(Resource):
    """Activity log endpoints."""

    def list(
        self,
        organization: str,
        *,
        search_term: str | None = None,
        actor: str | Sequence[str] | None = None,
        sort: ActivityLogSort | Sequence[ActivityLogSort] | None = None,
        min_occurred_at: TimeArg | None = None,
        max_occurred_at: TimeArg | None = None,
        namespace: str | Sequence[str] | None = None,
        action: str | Sequence[str] | None = None,
        count: int = DEFAULT_PAGE_SIZE,
        page_token: str | None = None,
    ) -> Paginator[ActivityLogEntry]:
        """Activity log entries of an organization (``GET /activity_log_entries``).

        Seed: listActivityLogEntries. Each ``Page`` carries Calendly's
        ``total_count``. List filters are sent comma-joined (the spec's
        ``style: form, explode: false``).

        Parameters
        ----------
        organization:
            The organization's UUID or URI.
        search_term:
            Full-text query (at most 300 characters; ``|`` or, ``+`` and,
            ``"..."`` exact, ``-`` exclude, ``*`` prefix).
        actor:
            One user (UUID or URI) or a list of them.
        sort:
            One or more of ``occurred_at``, ``action``, ``namespace``,
            ``actor.uri``, ``actor.display_name`` with ``:asc``/``:desc``
            (Calendly's default is ``occurred_at:desc``).
        min_occurred_at, max_occurred_at:
            Aware datetimes or ISO-8601 strings.
        namespace, action:
            One name or a list (``User``, ``Add``...).
        count, page_token:
            Page size (1-1000) and a token to resume from.

        Raises
        ------
        InvalidInputError
            ``organization`` is missing or malformed, a time is naive, the range
            is reversed, ``search_term`` is too long, or ``count`` is out of range.
        """
        require(organization, "organization")
        search = optional(check_text, search_term, "search_term", _MAX_SEARCH_TERM)
        min_time, max_time = time_range(
            min_occurred_at, max_occurred_at, "min_occurred_at", "max_occurred_at"
        )
        actors = name_list(actor, "actor")
        params = {
            "organization": self._uri(organization, "organizations"),
            "search_term": search,
            "actor": [self._uri(a, "users", what="actor") for a in actors] if actors else None,
            "sort": optional(choice_list, sort, ActivityLogSort, "sort"),
            "min_occurred_at": min_time,
            "max_occurred_at": max_time,
            "namespace": name_list(namespace, "namespace"),
            "action": name_list(action, "action"),
        }
        return self._list(
            "/activity_log_entries",
            ActivityLogEntry,
            params,
            count=count,
            page_token=page_token,
            max_count=MAX_PAGE_SIZE,
        )
