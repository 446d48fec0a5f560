"""Endpoint namespace module (being written)."""

from __future__ import annotations

from ._base import Resource

__all__ = ["AvailabilitySchedules", "BusyTimes"]


class AvailabilitySchedules(Resource):
    """AvailabilitySchedules endpoints."""


class BusyTimes(Resource):
    """BusyTimes endpoints."""
