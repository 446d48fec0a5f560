"""Meeting locations a user can offer (reference §6.5, §8 "MeetingLocation")."""

from __future__ import annotations

from ._base import Model

__all__ = ["MeetingLocation"]


class MeetingLocation(Model):
    """A location kind available to a user (``GET /locations``).

    ``kind`` is one of the location-configuration kinds (``physical``,
    ``zoom_conference``, ``google_conference``, ``inbound_call``...);
    ``connected`` tells, for conferencing kinds only, whether the user has
    connected the provider's account.
    """

    kind: str | None = None
    connected: bool | None = None
