"""Endpoint namespace module (being written)."""

from __future__ import annotations

from ._base import Resource

__all__ = ["Webhooks"]


class Webhooks(Resource):
    """Webhooks endpoints."""
