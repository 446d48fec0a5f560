"""Endpoint namespace module (being written)."""

from __future__ import annotations

from ._base import Resource

__all__ = ["ActivityLog"]


class ActivityLog(Resource):
    """ActivityLog endpoints."""
