"""Delivery bodies to typed ``WebhookEvent``s. Pure: one msgspec decoder per type."""

from __future__ import annotations

from typing import Any

import msgspec

from .._json import MALFORMED_JSON
from ..errors import DecodeError
from ..models._base import Model, Timestamp
from ..models.event_types import EventType
from ..models.invitees import Invitee
from ..models.routing_forms import RoutingFormSubmission
from ..models.scheduled_events import ScheduledEvent

__all__ = [
    "InvalidPayloadError",
    "InviteePayload",
    "WebhookEvent",
    "WebhookPayload",
    "parse_event",
]

class InvalidPayloadError(DecodeError):
    """A webhook body that is not JSON, or not Calendly's ``{event, created_at,
    created_by, payload}`` envelope, or whose payload does not fit its event.

    A ``DecodeError`` (``path`` is msgspec's location of the problem).
    """


class InviteePayload(Invitee):
    """The payload of ``invitee.*`` and ``invitee_no_show.*`` deliveries.

    Every ``Invitee`` field, plus the embedded ``scheduled_event``. On
    ``invitee.canceled`` the invitee's ``cancellation`` is set; the event's
    ``status`` stays ``active`` while other invitees remain (reference §7.2).
    ``canceled`` is sent by older deliveries only. Calendly documents no separate
    no-show payload (reference §9), so no-show deliveries decode here too, with
    ``no_show`` set.
    """

    scheduled_event: ScheduledEvent | None = None
    canceled: bool | None = None


WebhookPayload = InviteePayload | RoutingFormSubmission | EventType | dict[str, Any]
"""A delivery's payload: typed for known events, the raw JSON object otherwise."""

_PAYLOAD_TYPES: dict[str, type[Model]] = {
    "invitee.created": InviteePayload,
    "invitee.canceled": InviteePayload,
    "invitee_no_show.created": InviteePayload,
    "invitee_no_show.deleted": InviteePayload,
    "routing_form_submission.created": RoutingFormSubmission,
    "event_type.created": EventType,
    "event_type.updated": EventType,
    "event_type.deleted": EventType,
}


class WebhookEvent(Model):
    """One webhook delivery.

    Attributes
    ----------
    event:
        The event name (``invitee.created``, ...).
    created_at:
        When Calendly created the delivery (identical on every retry of it).
    created_by:
        URI of the user who created the subscription.
    payload:
        ``InviteePayload`` for ``invitee.*`` and ``invitee_no_show.*``,
        ``RoutingFormSubmission`` for ``routing_form_submission.created``,
        ``EventType`` for ``event_type.*``, the raw ``dict`` for any other event.
    """

    event: str
    created_at: Timestamp
    created_by: str
    payload: WebhookPayload

    @property
    def payload_uri(self) -> str | None:
        """The ``uri`` of the payload (the invitee, submission or event type), if any."""
        if isinstance(self.payload, dict):
            uri = self.payload.get("uri")
            return uri if isinstance(uri, str) else None
        return self.payload.uri

    @property
    def delivery_key(self) -> tuple[str, str | None, str]:
        """What identifies a delivery across retries: (event, payload uri, created_at)."""
        return (self.event, self.payload_uri, self.created_at.isoformat())


class _Envelope(msgspec.Struct):
    event: str
    created_at: Timestamp
    created_by: str
    payload: msgspec.Raw


_ENVELOPE_DECODER = msgspec.json.Decoder(_Envelope)
_GENERIC_DECODER: msgspec.json.Decoder[dict[str, Any]] = msgspec.json.Decoder(dict[str, Any])
_PAYLOAD_DECODERS: dict[type[Model], msgspec.json.Decoder[Any]] = {
    model: msgspec.json.Decoder(model) for model in set(_PAYLOAD_TYPES.values())
}


def _payload_decoder(event: str) -> msgspec.json.Decoder[Any]:
    model = _PAYLOAD_TYPES.get(event)
    return _GENERIC_DECODER if model is None else _PAYLOAD_DECODERS[model]


def _decode(
    decoder: msgspec.json.Decoder[Any],
    data: bytes | bytearray | memoryview | msgspec.Raw,
    where: str,
) -> Any:
    try:
        return decoder.decode(data)
    except msgspec.ValidationError as exc:
        _, located, at = str(exc).rpartition(" - at `")
        path = at.rstrip("`") if located else "$"  # msgspec names no path for the root
        if where == "payload":
            path = "$.payload" + path.removeprefix("$")
        raise InvalidPayloadError(
            f"webhook {where} is not what Calendly documents: {exc}", path=path
        ) from exc
    except MALFORMED_JSON as exc:  # also RecursionError for absurdly nested JSON
        raise InvalidPayloadError(f"webhook body is not valid JSON: {exc}") from exc


def parse_event(body: bytes | bytearray | memoryview) -> WebhookEvent:
    """Decode a delivery body into a ``WebhookEvent`` with a typed payload.

    Check the signature first (``verify_signature``) on the same bytes.

    Parameters
    ----------
    body:
        The raw request body (or the body of ``GET /sample_webhook_data``).

    Returns
    -------
    WebhookEvent
        Typed by ``event``; an unknown event name keeps its payload as a ``dict``.

    Raises
    ------
    InvalidPayloadError
        The body is not JSON, an envelope key is missing or ill-typed, or a known
        event's payload does not decode.
    """
    envelope: _Envelope = _decode(_ENVELOPE_DECODER, body, "envelope")
    payload = _decode(_payload_decoder(envelope.event), envelope.payload, "payload")
    return WebhookEvent(
        event=envelope.event,
        created_at=envelope.created_at,
        created_by=envelope.created_by,
        payload=payload,
    )
