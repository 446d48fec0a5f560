"""Endpoint namespace module (being written)."""

from __future__ import annotations

from ._base import Resource

__all__ = ["RoutingForms", "RoutingFormSubmissions"]


class RoutingForms(Resource):
    """RoutingForms endpoints."""


class RoutingFormSubmissions(Resource):
    """RoutingFormSubmissions endpoints."""
