"""Endpoint namespace module (being written)."""

from __future__ import annotations

from ._base import Resource

__all__ = ["SchedulingLinks", "Shares"]


class SchedulingLinks(Resource):
    """SchedulingLinks endpoints."""


class Shares(Resource):
    """Shares endpoints."""
