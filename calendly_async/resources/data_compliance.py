"""Endpoint namespace module (being written)."""

from __future__ import annotations

from ._base import Resource

__all__ = ["DataCompliance"]


class DataCompliance(Resource):
    """DataCompliance endpoints."""
