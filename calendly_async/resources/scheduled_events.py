"""Endpoint namespace module (being written)."""

from __future__ import annotations

from ._base import Resource

__all__ = ["ScheduledEvents", "Invitees"]


class ScheduledEvents(Resource):
    """ScheduledEvents endpoints."""


class Invitees(Resource):
    """Invitees endpoints."""
