"""Notetaker meeting recaps and transcripts (reference §6.11, §8 "MeetingRecap")."""

from __future__ import annotations

from typing import Any

import msgspec

from ._base import Model, Timestamp

__all__ = ["MeetingRecap", "MeetingRecapAttendee", "MeetingRecapTranscript"]


class MeetingRecapAttendee(Model):
    """Someone who attended the recapped meeting."""

    host: bool | None = None
    user_email: str | None = None
    user_name: str | None = None


class MeetingRecap(Model):
    """An AI recap of a meeting (``GET /meeting_recaps/{uuid}``).

    ``status`` is ``Available``, ``Processing`` or ``Unavailable`` in the
    schema, while the list filter takes lower case; compare with
    ``status.lower()``. ``location`` is kept as sent (a location object or
    text); ``transcript`` is the URI of the transcript.
    """

    uri: str
    app_url: str | None = None
    status: str | None = None
    event: str | None = None
    name: str | None = None
    location: Any = None
    start_time: Timestamp | None = None
    end_time: Timestamp | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
    attendees: list[MeetingRecapAttendee] = msgspec.field(default_factory=list)
    summary_md: str | None = None
    action_items_md: str | None = None
    discussion_md: str | None = None
    transcript: str | None = None
    share_link: str | None = None


class MeetingRecapTranscript(Model):
    """The transcript of a recapped meeting (``{resource: {uri, text}}``)."""

    uri: str | None = None
    text: str | None = None
