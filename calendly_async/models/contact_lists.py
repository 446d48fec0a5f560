"""Contact lists: Lists (``static_list``) and Views (``dynamic_view``) (reference §6.12)."""

from __future__ import annotations

from typing import Any

import msgspec

from ._base import Model, Timestamp

__all__ = ["ContactList", "ContactListMembershipResult"]


class ContactListMembershipResult(Model):
    """What adding or removing contacts did.

    The release notes say contacts that do not exist are counted in
    ``invalid`` and that only contacts *not* processed are listed by URI; the
    exact field names are not confirmed, so counts and URI lists are both
    accepted: ``invalid``/``failed`` may be a count or a list of URIs, and
    ``invalid_contacts``/``failed_contacts`` hold URI lists when sent.
    """

    added: int | None = None
    removed: int | None = None
    unchanged: int | None = None
    invalid: int | list[str] | None = None
    failed: int | list[str] | None = None
    invalid_contacts: list[str] = msgspec.field(default_factory=list)
    failed_contacts: list[str] = msgspec.field(default_factory=list)

    @property
    def not_processed(self) -> list[str]:
        """URIs of every contact that was not added or removed (invalid or failed)."""
        uris = [*self.invalid_contacts, *self.failed_contacts]
        for value in (self.invalid, self.failed):
            if isinstance(value, list):
                uris.extend(value)
        return uris


class ContactList(Model):
    """A saved grouping of contacts (``GET /contact_lists/{uuid}``).

    ``type`` is ``static_list`` (contacts added and removed by hand) or
    ``dynamic_view`` (saved filters); ``contact_count`` is set for Lists and
    null for Views. ``membership_result`` is filled by ``create`` when initial
    contacts were sent. ``filters`` keeps a View's saved filters as sent.
    """

    uri: str
    name: str | None = None
    type: str | None = None
    contact_count: int | None = None
    owner: str | None = None
    filters: Any = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
    membership_result: ContactListMembershipResult | None = None
