"""Endpoint namespace module (being written)."""

from __future__ import annotations

from ._base import Resource

__all__ = ["EventTypes"]


class EventTypes(Resource):
    """EventTypes endpoints."""
