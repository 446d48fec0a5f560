"""``client.invitee_no_shows``: mark and un-mark invitees as no-shows (reference §6.6)."""

from __future__ import annotations

from ..errors import InvalidInputError
from ..models.no_shows import InviteeNoShow
from ._base import Resource

__all__ = ["InviteeNoShows"]


class InviteeNoShows(Resource):
    """Invitee no-show endpoints."""

    async def create(self, invitee: str) -> InviteeNoShow:
        """Mark an invitee as a no-show (``POST /invitee_no_shows``; Calendly answers 201).

        The invitee's ``no_show`` is set afterwards; ``invitee_no_show.created``
        webhooks fire.

        Parameters
        ----------
        invitee:
            The invitee's full URI
            (``.../scheduled_events/{event_uuid}/invitees/{uuid}``, as in
            ``Invitee.uri``). A bare UUID is refused: it does not name the event.

        Raises
        ------
        InvalidInputError
            ``invitee`` is not an invitee URI.
        """
        # Calendly rule (reference §1): body fields naming a resource carry its full URI.
        if not isinstance(invitee, str) or "/" not in invitee:
            raise InvalidInputError(
                "invitee must be the invitee's URI (.../scheduled_events/{event}/invitees/{uuid})"
            )
        uri = self._uri(invitee, "invitees", "invitee")
        return await self._send("POST", "/invitee_no_shows", InviteeNoShow, {"invitee": uri})

    async def get(self, uuid: str) -> InviteeNoShow:
        """A no-show mark by UUID or URI (``GET /invitee_no_shows/{uuid}``).

        The URI is ``Invitee.no_show.uri``.
        """
        path = f"/invitee_no_shows/{self._uuid(uuid, 'invitee_no_shows', 'no-show')}"
        return await self._get(path, InviteeNoShow)

    async def delete(self, uuid: str) -> None:
        """Un-mark a no-show (``DELETE /invitee_no_shows/{uuid}``; Calendly answers 204).

        ``invitee_no_show.deleted`` webhooks fire.
        """
        await self._delete(f"/invitee_no_shows/{self._uuid(uuid, 'invitee_no_shows', 'no-show')}")
