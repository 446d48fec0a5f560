"""The mock's state for the newer API areas: teams, contacts and their custom fields,
contact lists, notes and meeting recaps (reference §6.11, §6.12).

Kept apart from ``Store`` (which holds one ``CrmState`` as ``store.crm``) so the
scheduling resources and these areas stay separate modules. Every mutation
goes through the routes, which call ``store.touch()``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..models.contact_lists import ContactList
from ..models.contacts import Contact, CustomFieldDefinition
from ..models.meeting_recaps import MeetingRecap
from ..models.notes import Note
from ..models.teams import Team

__all__ = ["CrmState"]


@dataclass(slots=True)
class CrmState:
    """Every contact-area resource, keyed by UUID (insertion order kept)."""

    teams: dict[str, Team] = field(default_factory=dict)
    team_members: dict[str, set[str]] = field(default_factory=dict)
    """Team UUID -> UUIDs of its member users."""
    contacts: dict[str, Contact] = field(default_factory=dict)
    """Contacts without their custom fields (those live in ``field_values``)."""
    field_values: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Contact UUID -> custom field definition UUID -> value."""
    field_definitions: dict[str, CustomFieldDefinition] = field(default_factory=dict)
    contact_lists: dict[str, ContactList] = field(default_factory=dict)
    list_members: dict[str, list[str]] = field(default_factory=dict)
    """Static list UUID -> contact UUIDs, in the order they were added."""
    view_filters: dict[str, dict[str, str]] = field(default_factory=dict)
    """Dynamic view UUID -> ``{contact field: exact value}`` (its saved filters)."""
    notes: dict[str, Note] = field(default_factory=dict)
    recaps: dict[str, MeetingRecap] = field(default_factory=dict)
    transcripts: dict[str, str] = field(default_factory=dict)
    """Recap UUID -> transcript text."""

    def counts(self) -> dict[str, int]:
        """How many resources of each kind are stored."""
        return {
            "teams": len(self.teams),
            "contacts": len(self.contacts),
            "field_definitions": len(self.field_definitions),
            "contact_lists": len(self.contact_lists),
            "notes": len(self.notes),
            "recaps": len(self.recaps),
        }
