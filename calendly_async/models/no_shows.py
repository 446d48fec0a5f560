"""Invitee no-show marks (reference §6.6, §8 "InviteeNoShow")."""

from __future__ import annotations

from ._base import Model, Timestamp

__all__ = ["InviteeNoShow"]


class InviteeNoShow(Model):
    """The mark that an invitee did not attend (``POST /invitee_no_shows``).

    ``invitee`` is the invitee's URI; delete the mark to un-mark the invitee.
    """

    uri: str
    invitee: str | None = None
    created_at: Timestamp | None = None
