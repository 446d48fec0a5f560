"""Teams (reference §6.2, §8 "Team")."""

from __future__ import annotations

from ._base import Model, Timestamp

__all__ = ["Team"]


class Team(Model):
    """A team of an organization (``GET /teams/{team_uuid}``).

    The 2026 spec lists ``uri``, ``name``, ``organization`` and
    ``scheduling_url``; the timestamps are kept in case they are sent.
    """

    uri: str
    name: str | None = None
    organization: str | None = None
    scheduling_url: str | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
