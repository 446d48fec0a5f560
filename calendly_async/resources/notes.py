"""``client.notes``: private notes about contacts (reference §6.12, 2026-11-17)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ..models.notes import Note
from ..pagination import Paginator
from ._base import DEFAULT_PAGE_SIZE, Resource
from ._contact_inputs import note_text, uri_list
from ._inputs import utc_time

__all__ = ["Notes"]

MAX_NOTE_CONTACTS = 10
"""Calendly rule (list-notes page): notes of 1 to 10 contacts per request."""


class Notes(Resource):
    """Note endpoints. Notes are private: a user reads only the notes they wrote."""

    def list(
        self,
        contact: str | Sequence[str],
        *,
        count: int = DEFAULT_PAGE_SIZE,
        page_token: str | None = None,
    ) -> Paginator[Note]:
        """Notes about 1-10 contacts, most recently updated first (``GET /notes``).

        Parameters
        ----------
        contact:
            A contact's UUID or URI, or a list of 1-10 (sent comma-joined).
        count, page_token:
            Page size (1-100) and a token to resume from.

        Calendly rule: only ``contact``, ``count`` and ``page_token`` are
        accepted; a note changed while paging moves to the first page.

        Raises
        ------
        InvalidInputError
            No contact, more than 10, a malformed identifier or a bad ``count``.
        """
        uris = uri_list(contact, "contacts", "contact", limit=MAX_NOTE_CONTACTS)
        return self._list("/notes", Note, {"contact": uris}, count=count, page_token=page_token)

    async def get(self, uuid: str) -> Note:
        """One of the user's notes by UUID or URI (``GET /notes/{uuid}``).

        Someone else's note answers 404, like a missing one.
        """
        return await self._get(f"/notes/{self._uuid(uuid, 'notes')}", Note)

    async def create(
        self,
        contact: str,
        *,
        title: str | None = None,
        body: str | None = None,
        remind_at: datetime | str | None = None,
    ) -> Note:
        """Write a note about one contact (``POST /notes``).

        Parameters
        ----------
        contact:
            The contact's UUID or URI.
        title, body:
            At least one, non-blank after trimming; ``title`` up to 255
            characters, ``body`` up to 10,000.
        remind_at:
            An aware datetime (or ISO-8601 text) for a reminder, sent as UTC.

        Not idempotent: each call creates a note, so it is not retried after a
        5xx unless the client's retry policy opts in.

        Raises
        ------
        InvalidInputError
            A rule above is broken (before any request).
        PermissionDeniedError
            Reminders are not available on the account (403; no note is created).
        """
        payload: dict[str, Any] = {
            "contact": self._uri(contact, "contacts", "contact"),
            **note_text(title, body),
        }
        if remind_at is not None:
            payload["remind_at"] = utc_time(remind_at, "remind_at")
        return await self._send("POST", "/notes", Note, payload)
