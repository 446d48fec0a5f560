"""Static typing checks of the teams, contacts, contact lists, notes and meeting-recap
calls, run by ``mypy --strict`` (not by pytest): lists keep their item types, and the
``Literal`` arguments refuse other strings."""

from __future__ import annotations

from typing import assert_type

from calendly_async import (
    Calendly,
    Contact,
    ContactList,
    ContactListMembershipResult,
    CustomFieldDefinition,
    MeetingRecap,
    MeetingRecapTranscript,
    Note,
    Paginator,
    Team,
)


async def check_contact_area(client: Calendly) -> None:
    assert_type(client.teams.list(user="U"), Paginator[Team])
    assert_type(await client.teams.get("T"), Team)
    assert_type(client.contacts.list(company=["Acme"], exclude="custom_fields"), Paginator[Contact])
    assert_type(await client.contacts.create("Ada", "ada@example.com"), Contact)
    assert_type(await client.contacts.update("C", company=None), Contact)
    assert_type(await client.contacts.delete("C"), None)
    assert_type(await client.contact_custom_fields.list(), list[CustomFieldDefinition])
    assert_type(await client.contact_custom_fields.create("Seats", "number"), CustomFieldDefinition)
    assert_type(await client.contact_lists.list(type="static_list"), list[ContactList])
    added = await client.contact_lists.add_contacts("L", ["C"])
    assert_type(added, ContactListMembershipResult)
    assert_type(client.notes.list(["C1", "C2"]), Paginator[Note])
    assert_type(await client.notes.create("C", title="Call"), Note)
    assert_type(client.meeting_recaps.list(status="processing"), Paginator[MeetingRecap])
    assert_type(await client.meeting_recaps.transcript("R"), MeetingRecapTranscript)


async def check_literals_refuse_other_strings(client: Calendly) -> None:
    client.meeting_recaps.list(status="done")  # type: ignore[arg-type]
    await client.contact_lists.list(type="smart")  # type: ignore[arg-type]
    await client.contact_custom_fields.create("Q", "invitee_question")  # type: ignore[arg-type]
    client.contacts.list(exclude="emails")  # type: ignore[arg-type]
