"""Private notes about contacts (reference §6.12)."""

from __future__ import annotations

from ._base import Model, Timestamp

__all__ = ["Note"]


class Note(Model):
    """A note a user wrote about one contact; only its owner can read it."""

    uri: str
    contact: str | None = None
    owner: str | None = None
    title: str | None = None
    body: str | None = None
    remind_at: Timestamp | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
