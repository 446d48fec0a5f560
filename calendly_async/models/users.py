"""Users (reference §8 "User")."""

from __future__ import annotations

from ._base import Model, Timestamp

__all__ = ["User"]


class User(Model):
    """A Calendly user (``GET /users/me``, ``GET /users/{uuid}``)."""

    uri: str
    name: str | None = None
    slug: str | None = None
    email: str | None = None
    scheduling_url: str | None = None
    timezone: str | None = None
    avatar_url: str | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
    current_organization: str | None = None
    resource_type: str | None = None
    locale: str | None = None
    time_notation: str | None = None
