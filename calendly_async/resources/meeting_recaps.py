"""``client.meeting_recaps``: Notetaker recaps and transcripts (reference §6.11)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from .._decoding import decode_resource
from ..errors import InvalidInputError
from ..models.meeting_recaps import MeetingRecap, MeetingRecapTranscript
from ..pagination import Paginator
from ._base import DEFAULT_PAGE_SIZE, Resource
from ._inputs import UNSET, Unset, check_choice, check_email, check_text, optional, utc_time

__all__ = ["MeetingRecaps", "RecapStatus"]

RecapStatus = Literal["available", "processing", "unavailable"]
"""The ``status`` filter; Calendly returns only ``available`` recaps when it is left out."""


def _recap_path(uuid: str) -> str:
    return f"/meeting_recaps/{uuid}"


class MeetingRecaps(Resource):
    """Meeting recap endpoints."""

    def list(
        self,
        *,
        event: str | None = None,
        start_time: datetime | str | None = None,
        end_time: datetime | str | None = None,
        status: RecapStatus | None = None,
        attendee: str | None = None,
        count: int = DEFAULT_PAGE_SIZE,
        page_token: str | None = None,
    ) -> Paginator[MeetingRecap]:
        """Recaps, filtered (``GET /meeting_recaps``).

        Parameters
        ----------
        event:
            A scheduled event's UUID or URI.
        start_time, end_time:
            Recaps of meetings that end at or after ``start_time`` and start at
            or before ``end_time`` (aware datetimes or ISO-8601 text; sent UTC).
        status:
            ``available`` (Calendly's default), ``processing`` or ``unavailable``.
        attendee:
            Only recaps with this attendee e-mail.
        count, page_token:
            Page size (1-100) and a token to resume from.

        Raises
        ------
        InvalidInputError
            A malformed argument, ``end_time`` before ``start_time``, or a bad ``count``.
        """
        start = optional(utc_time, start_time, "start_time")
        end = optional(utc_time, end_time, "end_time")
        if start is not None and end is not None and end < start:
            raise InvalidInputError(f"end_time {end} must not be before start_time {start}")
        params = {
            "event": optional(self._uri, event, "scheduled_events", "event"),
            "start_time": start,
            "end_time": end,
            "status": optional(check_choice, status, RecapStatus, "status"),
            "attendee": optional(check_email, attendee, "attendee"),
        }
        return self._list(
            "/meeting_recaps", MeetingRecap, params, count=count, page_token=page_token
        )

    async def get(self, uuid: str) -> MeetingRecap:
        """A recap by UUID or URI (``GET /meeting_recaps/{uuid}``)."""
        return await self._get(_recap_path(self._uuid(uuid, "meeting_recaps", "recap")),
                               MeetingRecap)  # fmt: skip

    async def update(
        self,
        uuid: str,
        *,
        summary_md: str | Unset | None = UNSET,
        action_items_md: str | Unset | None = UNSET,
        discussion_md: str | Unset | None = UNSET,
    ) -> MeetingRecap:
        """Edit a recap's Markdown sections (``PATCH /meeting_recaps/{uuid}``).

        Only the arguments passed are sent; ``None`` clears a section (the spec
        makes all three nullable).

        Raises
        ------
        InvalidInputError
            Nothing to change, or a section is not a string or ``None``.
        """
        path = _recap_path(self._uuid(uuid, "meeting_recaps", "recap"))
        changes = {
            "summary_md": summary_md,
            "action_items_md": action_items_md,
            "discussion_md": discussion_md,
        }
        given = {key: value for key, value in changes.items() if value is not UNSET}
        if not given:
            raise InvalidInputError("pass at least one section to update")
        for key, value in given.items():
            optional(check_text, value, key)
        response = await self._transport.request("PATCH", path, json=given)
        return decode_resource(response, MeetingRecap)

    async def delete(self, uuid: str) -> None:
        """Delete a recap (``DELETE /meeting_recaps/{uuid}``; 204)."""
        await self._delete(_recap_path(self._uuid(uuid, "meeting_recaps", "recap")))

    async def transcript(self, uuid: str) -> MeetingRecapTranscript:
        """A recap's transcript (``GET /meeting_recaps/{uuid}/transcript``)."""
        path = f"{_recap_path(self._uuid(uuid, 'meeting_recaps', 'recap'))}/transcript"
        return await self._get(path, MeetingRecapTranscript)
