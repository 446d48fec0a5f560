"""``client.contact_lists``: Lists and Views of contacts (reference §6.12, 2026-11-17)."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any, Literal

import msgspec

from .._decoding import decode_bare
from ..models.contact_lists import ContactList, ContactListMembershipResult
from ._base import Resource
from ._contact_inputs import MAX_MEMBERSHIP_CONTACTS, uri_list
from ._inputs import check_choice, check_name, optional

__all__ = ["ContactListType", "ContactLists"]

ContactListType = Literal["static_list", "dynamic_view"]
"""A List (contacts added by hand) or a View (saved filters)."""


class _Created(msgspec.Struct):
    """``POST /contact_lists``'s answer: ``membership_result`` may sit beside ``resource``."""

    resource: ContactList
    membership_result: ContactListMembershipResult | None = None


class _MembershipAnswer(ContactListMembershipResult):
    """A membership answer in any of the shapes it may take (the exact one is not
    documented): ``{resource: result}``, ``{membership_result: result}`` or the
    result's fields at the top level."""

    resource: ContactListMembershipResult | None = None
    membership_result: ContactListMembershipResult | None = None

    def result(self) -> ContactListMembershipResult:
        """The membership result, wherever it was."""
        if self.resource is not None:
            return self.resource
        if self.membership_result is not None:
            return self.membership_result
        fields = msgspec.structs.asdict(self)
        del fields["resource"], fields["membership_result"]
        return ContactListMembershipResult(**fields)


def _list_path(uuid: str) -> str:
    return f"/contact_lists/{uuid}"


class ContactLists(Resource):
    """Contact list endpoints."""

    async def list(self, *, type: ContactListType | None = None) -> list[ContactList]:
        """The user's Lists and Views (``GET /contact_lists``).

        Calendly rule: all of them (at most 25) come in one answer, without
        pages, in the web app's order.

        Raises
        ------
        InvalidInputError
            ``type`` is not ``static_list`` or ``dynamic_view``.
        """
        params = {"type": optional(check_choice, type, ContactListType, "type")}
        return await self._collection("/contact_lists", ContactList, params)

    async def get(self, uuid: str) -> ContactList:
        """A List or View by UUID or URI (``GET /contact_lists/{uuid}``)."""
        return await self._get(_list_path(self._uuid(uuid, "contact_lists", "contact list")),
                               ContactList)  # fmt: skip

    async def create(self, name: str, *, contacts: Sequence[str] | None = None) -> ContactList:
        """Create a List, optionally with contacts (``POST /contact_lists``).

        Calendly rules: the name must be unused (case- and accent-blind; else
        409) and a user has at most 25 Lists and Views; adding the initial
        contacts is not atomic: the answer's ``membership_result`` names the
        contacts that were not added (retry them with ``add_contacts``).

        Raises
        ------
        InvalidInputError
            The name is blank, or ``contacts`` holds more than 500 or a bad identifier.
        ConflictError
            The name is taken, or the limit of 25 is reached (409).
        """
        body: dict[str, Any] = {"name": check_name(name).strip()}
        if contacts is not None:
            body["contacts"] = self._contact_uris(contacts)
        response = await self._transport.request("POST", "/contact_lists", json=body)
        created = decode_bare(response, _Created)
        if created.membership_result is not None and created.resource.membership_result is None:
            created.resource.membership_result = created.membership_result
        return created.resource

    async def update(self, uuid: str, *, name: str) -> ContactList:
        """Rename a List or View (``PATCH /contact_lists/{uuid}``): only the name can change."""
        path = _list_path(self._uuid(uuid, "contact_lists", "contact list"))
        return await self._send("PATCH", path, ContactList, {"name": check_name(name).strip()})

    async def add_contacts(
        self, uuid: str, contacts: str | Sequence[str]
    ) -> ContactListMembershipResult:
        """Add up to 500 contacts to a List (``POST /contact_lists/{uuid}/memberships``).

        Idempotent: contacts already on the List are unchanged. Contacts that do
        not exist are reported in the result, the others still added. A View
        answers 409 (its filters decide its contacts).
        """
        return await self._membership(uuid, contacts, "memberships")

    async def remove_contacts(
        self, uuid: str, contacts: str | Sequence[str]
    ) -> ContactListMembershipResult:
        """Remove up to 500 contacts from a List (``POST .../memberships/removal``).

        The contacts themselves are not deleted; idempotent like ``add_contacts``.
        """
        return await self._membership(uuid, contacts, "memberships/removal")

    def _contact_uris(self, contacts: str | Sequence[str]) -> builtins.list[str]:
        # Calendly rule (add/remove contacts pages): at most 500 contacts a request.
        return uri_list(contacts, "contacts", "contacts", limit=MAX_MEMBERSHIP_CONTACTS)

    async def _membership(
        self, uuid: str, contacts: str | Sequence[str], action: str
    ) -> ContactListMembershipResult:
        path = f"{_list_path(self._uuid(uuid, 'contact_lists', 'contact list'))}/{action}"
        body = {"contacts": self._contact_uris(contacts)}
        response = await self._transport.request("POST", path, json=body)
        return decode_bare(response, _MembershipAnswer).result()
