"""Webhook deliveries: signature checks, typed decoding and an aiohttp receiver.

Three layers, each usable on its own:

- ``sign()`` / ``verify_signature()``: the ``Calendly-Webhook-Signature`` scheme,
  pure functions (no I/O, no event loop);
- ``parse_event()``: a delivery body to a typed ``WebhookEvent``, pure;
- ``WebhookReceiver``: an aiohttp handler that verifies, de-duplicates, answers
  at once and runs the registered handlers in the background.

Calendly rules (reference §7, https://developer.calendly.com/api-docs/ZG9jOjM2MzE2MDM4-webhook-signatures):

- the header is ``Calendly-Webhook-Signature: t=<unix seconds>,v1=<hex>``, sent
  only when the subscription has a signing key;
- ``v1`` is HMAC-SHA256, keyed with the signing key, over ``f"{t}."`` followed by
  the exact raw request body (never re-serialised JSON);
- Calendly's example rejects timestamps more than 3 minutes (180 s) away;
- the body is ``{event, created_at, created_by, payload}``;
- any non-2xx answer (redirects included) is a failure: Calendly retries with
  back-off for 24 hours, then disables the subscription. It waits 10 s to
  connect and 15 s for the answer, so acknowledge first and work afterwards;
- no delivery id exists: a repeated delivery is recognised by
  (``event``, ``payload.uri``, ``created_at``).
"""

from ._events import (
    InvalidPayloadError,
    InviteePayload,
    WebhookEvent,
    WebhookPayload,
    parse_event,
)
from ._receiver import ANY_EVENT, HandlerFailure, WebhookHandler, WebhookReceiver
from ._signature import (
    DEFAULT_TOLERANCE,
    SIGNATURE_HEADER,
    InvalidSignatureError,
    SignatureFailure,
    sign,
    verify_signature,
)

__all__ = [
    "ANY_EVENT",
    "DEFAULT_TOLERANCE",
    "SIGNATURE_HEADER",
    "HandlerFailure",
    "InvalidPayloadError",
    "InvalidSignatureError",
    "InviteePayload",
    "SignatureFailure",
    "WebhookEvent",
    "WebhookHandler",
    "WebhookPayload",
    "WebhookReceiver",
    "parse_event",
    "sign",
    "verify_signature",
]
