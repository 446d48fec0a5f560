"""calendly_async.webhooks: sign / verify_signature / parse_event, pure (no event loop).

Every signature here is computed in the test with hmac/hashlib (reference §7.3:
HMAC-SHA256 over ``f"{t}."`` + the raw body, lowercase hex), never with ``sign()``,
except in the test that checks ``sign()`` against that computation.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import time
from typing import Any

import msgspec
import pytest
from helpers import assert_round_trips, fixture

from calendly_async.errors import CalendlyError, DecodeError, InvalidInputError
from calendly_async.models import EventType, RoutingFormSubmission, ScheduledEvent
from calendly_async.webhooks import (
    InvalidPayloadError,
    InvalidSignatureError,
    InviteePayload,
    WebhookEvent,
    parse_event,
    sign,
    verify_signature,
)

KEY = "whsec_ROTATING_secret_key_0001"
OLD_KEY = "whsec_OLD_secret_key_0000"
NOW = 1_700_000_000
BODY = b'{"event":"invitee.created","created_at":"2020-11-23T17:51:19.000000Z"}'


def hmac_hex(key: str, t: int | str, body: bytes) -> str:
    """The v1 value, computed independently of the library."""
    return hmac.new(key.encode("utf-8"), f"{t}.".encode() + body, hashlib.sha256).hexdigest()


def header(key: str = KEY, t: int = NOW, body: bytes = BODY) -> str:
    return f"t={t},v1={hmac_hex(key, t, body)}"


def refused(body: bytes, value: str | None, key: Any = KEY, **kwargs: Any) -> InvalidSignatureError:
    kwargs.setdefault("now", NOW)
    with pytest.raises(InvalidSignatureError) as caught:
        verify_signature(body, value, key, **kwargs)
    message = f"{caught.value} {caught.value!r}"
    for secret in [key] if isinstance(key, str) else list(key):
        assert secret not in message
    for item in (value or "").split(","):
        _, _, signature = item.partition("=")
        if len(signature) >= 16:
            assert signature.strip() not in message
    return caught.value


# --- signatures: accepted -------------------------------------------------------


def test_a_correct_signature_is_accepted() -> None:
    verify_signature(BODY, header(), KEY, now=NOW)  # raises on failure


def test_sign_produces_the_documented_header() -> None:
    assert sign(BODY, KEY, t=NOW) == f"t={NOW},v1={hmac_hex(KEY, NOW, BODY)}"


def test_sign_defaults_to_the_current_time() -> None:
    before = int(time.time())
    value = sign(BODY, KEY)
    t = int(value.split(",")[0].removeprefix("t="))
    assert before <= t <= int(time.time())
    assert value.endswith(hmac_hex(KEY, t, BODY))


def test_any_of_several_v1_signatures_may_match() -> None:
    wrong = hmac_hex(OLD_KEY, NOW, BODY)
    value = f"t={NOW},v1={wrong},v1={hmac_hex(KEY, NOW, BODY)}"
    verify_signature(BODY, value, KEY, now=NOW)


def test_any_of_several_keys_may_match_for_rotation() -> None:
    verify_signature(BODY, header(OLD_KEY), [KEY, OLD_KEY], now=NOW)
    verify_signature(BODY, header(KEY), (KEY, OLD_KEY), now=NOW)
    refused(BODY, header(OLD_KEY), [KEY])


def test_unknown_schemes_spaces_and_upper_case_hex_are_tolerated() -> None:
    mac = hmac_hex(KEY, NOW, BODY)
    verify_signature(BODY, f"v0=abc, t={NOW} , v2=zzz-not-hex ,v1={mac.upper()}", KEY, now=NOW)


def test_the_timestamp_is_signed_as_sent() -> None:
    # The header's t is part of the signed text: a signature made for another t fails.
    value = f"t={NOW + 1},v1={hmac_hex(KEY, NOW, BODY)}"
    assert refused(BODY, value).reason == "mismatch"


@pytest.mark.parametrize("age", [0, 179, 180, -180])
def test_timestamps_within_the_tolerance_pass(age: int) -> None:
    verify_signature(BODY, header(t=NOW - age), KEY, now=NOW)


def test_default_now_is_the_wall_clock() -> None:
    t = int(time.time())
    verify_signature(BODY, header(t=t), KEY)
    assert refused(BODY, header(t=t - 3600), now=None).reason == "expired"


# --- signatures: refused --------------------------------------------------------


@pytest.mark.parametrize("value", [None, "", "   "])
def test_missing_or_empty_header_is_refused(value: str | None) -> None:
    assert refused(BODY, value).reason == "missing"


@pytest.mark.parametrize(
    "value",
    [
        "garbage",
        f"v1={hmac_hex(KEY, NOW, BODY)}",
        f"t={NOW}",
        f"t={NOW},v0={hmac_hex(KEY, NOW, BODY)}",
        f"t=yesterday,v1={hmac_hex(KEY, NOW, BODY)}",
        f"t=-{NOW},v1={hmac_hex(KEY, NOW, BODY)}",
        f"t={NOW}.5,v1={hmac_hex(KEY, NOW, BODY)}",
        f"t={NOW},t={NOW},v1={hmac_hex(KEY, NOW, BODY)}",
        f"t={NOW},v1=not-hex-{hmac_hex(KEY, NOW, BODY)}",
        f"t={NOW},v1=é{hmac_hex(KEY, NOW, BODY)}",
        f"t={NOW},v1=",
        f"t={NOW},,v1={hmac_hex(KEY, NOW, BODY)}",
        f"=1,t={NOW},v1={hmac_hex(KEY, NOW, BODY)}",
    ],
)
def test_malformed_headers_are_refused(value: str) -> None:
    assert refused(BODY, value).reason == "malformed"


def test_a_wrong_key_is_a_mismatch() -> None:
    assert refused(BODY, header(OLD_KEY)).reason == "mismatch"


def test_a_tampered_body_is_a_mismatch() -> None:
    tampered = BODY.replace(b"created", b"canceled")
    assert refused(tampered, header()).reason == "mismatch"


def test_a_reserialised_body_is_a_mismatch() -> None:
    # Calendly signs the exact bytes; json.dumps adds spaces and breaks the HMAC.
    reserialised = json.dumps(json.loads(BODY)).encode()
    assert reserialised != BODY
    assert refused(reserialised, header()).reason == "mismatch"


def test_a_truncated_signature_is_a_mismatch() -> None:
    assert refused(BODY, f"t={NOW},v1={hmac_hex(KEY, NOW, BODY)[:-2]}").reason == "mismatch"


def test_stale_signature_is_refused() -> None:
    error = refused(BODY, header(t=NOW - 181))
    assert error.reason == "expired"
    assert "181 s old" in str(error)


def test_far_future_signature_is_refused() -> None:
    assert refused(BODY, header(t=NOW + 181)).reason == "future"


def test_tolerance_is_configurable() -> None:
    verify_signature(BODY, header(t=NOW - 3000), KEY, now=NOW, tolerance=3600)
    assert refused(BODY, header(t=NOW - 11), tolerance=10).reason == "expired"


def test_a_forged_stale_request_is_reported_as_mismatch_not_expired() -> None:
    assert refused(BODY, header(OLD_KEY, t=NOW - 9999)).reason == "mismatch"


def test_signature_errors_are_calendly_errors() -> None:
    assert issubclass(InvalidSignatureError, CalendlyError)


@pytest.mark.parametrize(
    ("body", "key", "kwargs"),
    [
        (BODY, "", {}),
        (BODY, [], {}),
        (BODY, [KEY, ""], {}),
        (BODY.decode(), KEY, {}),
        (BODY, KEY, {"tolerance": -1}),
        (BODY, KEY, {"tolerance": float("nan")}),
    ],
)
def test_bad_arguments_raise_invalid_input(body: Any, key: Any, kwargs: dict[str, Any]) -> None:
    with pytest.raises(InvalidInputError):
        verify_signature(body, header(), key, now=NOW, **kwargs)


def test_sign_refuses_an_empty_key() -> None:
    with pytest.raises(InvalidInputError):
        sign(BODY, "")


# --- parse_event ------------------------------------------------------------------

# Calendly's own example (2023 spec, WebhookPayload "Invitee Created").
INVITEE_CREATED: dict[str, Any] = {
    "created_at": "2020-11-23T17:51:19.000000Z",
    "created_by": "https://api.calendly.com/users/AAAAAAAAAAAAAAAA",
    "event": "invitee.created",
    "payload": {
        "cancel_url": "https://calendly.com/cancellations/AAAAAAAAAAAAAAAA",
        "created_at": "2020-11-23T17:51:18.327602Z",
        "email": "test@example.com",
        "event": "https://api.calendly.com/scheduled_events/AAAAAAAAAAAAAAAA",
        "name": "John Doe",
        "new_invitee": None,
        "old_invitee": None,
        "questions_and_answers": [],
        "reschedule_url": "https://calendly.com/reschedulings/AAAAAAAAAAAAAAAA",
        "rescheduled": False,
        "status": "active",
        "text_reminder_number": None,
        "timezone": "America/New_York",
        "tracking": {
            "utm_campaign": None,
            "utm_source": None,
            "utm_medium": None,
            "utm_content": None,
            "utm_term": None,
            "salesforce_uuid": None,
        },
        "updated_at": "2020-11-23T17:51:18.341657Z",
        "uri": "https://api.calendly.com/scheduled_events/AAAAAAAAAAAAAAAA/invitees/AAAAAAAAAAAAAAAA",
        "canceled": False,
    },
}


def invitee_canceled() -> dict[str, Any]:
    """A current-style invitee.canceled: invitee fields plus the embedded scheduled event."""
    invitee = copy.deepcopy(fixture("get_event_invitee")["resource"])
    event = copy.deepcopy(fixture("get_event")["resource"])
    event["status"] = "canceled"
    event["cancellation"] = {
        "canceled_by": "Host Person",
        "reason": "Conflict",
        "canceler_type": "host",
        "created_at": "2022-04-22T10:00:00.000000Z",
    }
    invitee["status"] = "canceled"
    invitee["cancellation"] = event["cancellation"]
    invitee["scheduled_event"] = event
    return {
        "event": "invitee.canceled",
        "created_at": "2022-04-22T10:00:01.000000Z",
        "created_by": "https://api.calendly.com/users/AAAAAAAAAAAAAAAA",
        "payload": invitee,
    }


def envelope(event: str, payload: Any) -> bytes:
    return json.dumps(
        {
            "event": event,
            "created_at": "2022-05-15T14:59:59.000000Z",
            "created_by": "https://api.calendly.com/users/AAAAAAAAAAAAAAAA",
            "payload": payload,
        }
    ).encode()


def test_invitee_created_decodes_to_an_invitee_payload_and_round_trips() -> None:
    event = parse_event(json.dumps(INVITEE_CREATED).encode())
    assert isinstance(event, WebhookEvent)
    assert event.event == "invitee.created"
    assert event.created_at.year == 2020
    assert event.created_at.utcoffset() is not None
    assert isinstance(event.payload, InviteePayload)
    assert event.payload.email == "test@example.com"
    assert event.payload.canceled is False
    assert event.payload.scheduled_event is None
    assert_round_trips(INVITEE_CREATED, event)


def test_invitee_canceled_carries_the_scheduled_event_and_cancellation() -> None:
    original = invitee_canceled()
    event = parse_event(json.dumps(original).encode())
    payload = event.payload
    assert isinstance(payload, InviteePayload)
    assert isinstance(payload.scheduled_event, ScheduledEvent)
    assert payload.scheduled_event.status == "canceled"
    assert payload.cancellation is not None
    assert payload.cancellation.canceler_type == "host"
    assert payload.payment is not None
    assert payload.payment.amount == 1234.56
    assert_round_trips(original, event)


def test_no_show_events_decode_as_invitee_payloads() -> None:
    payload = {
        **INVITEE_CREATED["payload"],
        "no_show": {
            "uri": "https://api.calendly.com/invitee_no_shows/N1",
            "created_at": "2022-05-15T14:59:58.000000Z",
        },
    }
    for name in ("invitee_no_show.created", "invitee_no_show.deleted"):
        event = parse_event(envelope(name, payload))
        assert isinstance(event.payload, InviteePayload)
        assert event.payload.no_show is not None
        assert event.payload.no_show.uri == "https://api.calendly.com/invitee_no_shows/N1"


def test_routing_form_submission_decodes_and_round_trips() -> None:
    submission = fixture("get_routing_form_submission")["resource"]
    body = envelope("routing_form_submission.created", submission)
    event = parse_event(body)
    assert isinstance(event.payload, RoutingFormSubmission)
    assert event.payload.result is not None
    assert event.payload.result.type == "event_type"
    assert_round_trips(json.loads(body), event)


@pytest.mark.parametrize("name", ["event_type.created", "event_type.updated", "event_type.deleted"])
def test_event_type_events_decode_to_event_types(name: str) -> None:
    event_type = fixture("get_event_type")["resource"]
    event = parse_event(envelope(name, event_type))
    assert isinstance(event.payload, EventType)
    assert event.payload.uri == event_type["uri"]
    assert_round_trips(event_type, event.payload)


@pytest.mark.parametrize("name", ["meeting_recap.created", "contact.updated", "brand_new.thing"])
def test_unknown_events_keep_the_raw_payload(name: str) -> None:
    payload = {"uri": "https://api.calendly.com/x/1", "nested": {"a": [1, 2]}, "n": None}
    event = parse_event(envelope(name, payload))
    assert event.event == name
    assert event.payload == payload
    assert event.payload_uri == "https://api.calendly.com/x/1"


def test_payload_uri_and_delivery_key() -> None:
    event = parse_event(json.dumps(INVITEE_CREATED).encode())
    uri = INVITEE_CREATED["payload"]["uri"]
    assert event.payload_uri == uri
    assert event.delivery_key == ("invitee.created", uri, "2020-11-23T17:51:19+00:00")
    assert parse_event(envelope("x.y", {"uri": 5})).payload_uri is None


def test_parse_accepts_a_memoryview_of_the_body() -> None:
    assert parse_event(memoryview(json.dumps(INVITEE_CREATED).encode())).event == "invitee.created"


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b'{"event": "invitee.created"',
        b"[]",
        b'"invitee.created"',
    ],
)
def test_malformed_json_raises_invalid_payload(body: bytes) -> None:
    with pytest.raises(InvalidPayloadError):
        parse_event(body)


@pytest.mark.parametrize("missing", ["event", "created_at", "created_by", "payload"])
def test_every_envelope_key_is_required(missing: str) -> None:
    body = {k: v for k, v in INVITEE_CREATED.items() if k != missing}
    with pytest.raises(InvalidPayloadError, match=missing) as caught:
        parse_event(json.dumps(body).encode())
    assert isinstance(caught.value, DecodeError)
    assert isinstance(caught.value, CalendlyError)


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"created_at": "yesterday"}, "$.created_at"),
        ({"event": 7}, "$.event"),
        ({"payload": []}, "$.payload"),
        ({"payload": {"email": "no-uri@example.com"}}, "$.payload"),
        (
            {"payload": {"uri": "u", "scheduled_event": {"uri": "e", "start_time": "soon"}}},
            "$.payload.scheduled_event.start_time",
        ),
    ],
)
def test_ill_typed_envelopes_report_the_path(change: dict[str, Any], path: str) -> None:
    with pytest.raises(InvalidPayloadError) as caught:
        parse_event(json.dumps({**INVITEE_CREATED, **change}).encode())
    assert caught.value.path == path


def test_unknown_event_with_a_non_object_payload_is_refused() -> None:
    with pytest.raises(InvalidPayloadError):
        parse_event(envelope("brand_new.thing", "text"))


def test_webhook_event_encodes_back_to_the_envelope() -> None:
    event = parse_event(json.dumps(INVITEE_CREATED).encode())
    again = parse_event(msgspec.json.encode(event))
    assert again == event
