"""Emails and text messages Calendly sent for an organization (reference §6.10,
§8 "OutgoingCommunication")."""

from __future__ import annotations

import msgspec

from ._base import Model, Timestamp

__all__ = ["OutgoingCommunication"]


# gc=True, unlike every other model: the mock subclasses it with ``dict=True`` (a
# per-instance ``__dict__``, which could hold anything), and msgspec allows that only
# on GC-tracked Structs. A page of these is small; nothing is lost.
class OutgoingCommunication(Model, gc=True):
    """One email or SMS sent for a booking (``GET /outgoing_communications``).

    ``type`` is ``email`` or ``sms`` (an open enumeration; one struct holds
    both); ``subject`` is null for SMS. The Python name of ``from`` is
    ``from_``; it encodes as Calendly's ``from``.
    """

    type: str | None = None
    to: str | None = None
    from_: str | None = msgspec.field(default=None, name="from")
    subject: str | None = None
    body: str | None = None
    sender_uri: str | None = None
    sender_email: str | None = None
    event_type_uri: str | None = None
    event_uri: str | None = None
    sent_at: Timestamp | None = None
    created_at: Timestamp | None = None
    scheduling_url: str | None = None
