"""Endpoint namespace module (being written)."""

from __future__ import annotations

from ._base import Resource

__all__ = ["Organizations", "OrganizationMemberships", "OrganizationInvitations"]


class Organizations(Resource):
    """Organizations endpoints."""


class OrganizationMemberships(Resource):
    """OrganizationMemberships endpoints."""


class OrganizationInvitations(Resource):
    """OrganizationInvitations endpoints."""
