"""``Calendly-Webhook-Signature``: sign and verify. Pure functions, no I/O."""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ..errors import CalendlyError, InvalidInputError

__all__ = [
    "DEFAULT_TOLERANCE",
    "SIGNATURE_HEADER",
    "InvalidSignatureError",
    "SignatureFailure",
    "sign",
    "verify_signature",
]

SIGNATURE_HEADER = "Calendly-Webhook-Signature"
"""The request header carrying ``t=<unix seconds>,v1=<hex>``."""

DEFAULT_TOLERANCE = 180.0
"""Seconds a signature timestamp may be away from now (Calendly's example: 3 minutes)."""

SignatureFailure = Literal["missing", "malformed", "mismatch", "expired", "future"]
"""Why a signature was refused: no header, unreadable header, wrong HMAC, timestamp
older than the tolerance, timestamp further in the future than the tolerance."""


class InvalidSignatureError(CalendlyError):
    """A webhook delivery whose ``Calendly-Webhook-Signature`` cannot be trusted.

    ``reason`` says why (see ``SignatureFailure``). The message never contains the
    signing key nor the signature from the header.
    """

    def __init__(self, message: str, *, reason: SignatureFailure) -> None:
        super().__init__(message)
        self.reason: SignatureFailure = reason


@dataclass(frozen=True, slots=True)
class _SignatureHeader:
    timestamp: str
    signatures: tuple[str, ...]


_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_HEX = re.compile(r"[0-9a-fA-F]{1,256}")


def _malformed(why: str) -> InvalidSignatureError:
    return InvalidSignatureError(
        f"the {SIGNATURE_HEADER} header is malformed: {why}", reason="malformed"
    )


def _parse_header(header: str | None) -> _SignatureHeader:
    """Read ``t=...,v1=...[,v1=...]``; other schemes (a future ``v2``) are ignored."""
    if header is None or not header.strip():
        raise InvalidSignatureError(
            f"the {SIGNATURE_HEADER} header is missing or empty", reason="missing"
        )
    timestamps: list[str] = []
    signatures: list[str] = []
    for item in header.split(","):
        key, separator, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not separator or not key:
            raise _malformed("every item must be key=value")
        if key == "t":
            timestamps.append(value)
        elif key == "v1":
            signatures.append(value)
    if len(timestamps) != 1 or not _TIMESTAMP.fullmatch(timestamps[0]):
        raise _malformed("expected exactly one t=<unix seconds>")
    if not signatures:
        raise _malformed("no v1 signature")
    if not all(_HEX.fullmatch(signature) for signature in signatures):
        raise _malformed("a v1 signature is not hexadecimal")
    return _SignatureHeader(timestamps[0], tuple(s.lower() for s in signatures))


def _signing_keys(signing_key: str | Sequence[str]) -> tuple[str, ...]:
    keys = (signing_key,) if isinstance(signing_key, str) else tuple(signing_key)
    if not keys or not all(isinstance(key, str) and key.strip() for key in keys):
        raise InvalidInputError("signing_key must be a non-empty string or a list of them")
    return keys


def _raw_body(body: bytes | bytearray | memoryview) -> bytes:
    if not isinstance(body, bytes | bytearray | memoryview):
        # Calendly signs the exact bytes it sent; a decoded or re-serialised
        # body would not match (reference §7.3).
        raise InvalidInputError(f"body must be the raw request bytes, not {type(body).__name__}")
    return bytes(body)


def _digest(key: str, timestamp: str, body: bytes) -> str:
    return hmac.new(key.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def sign(body: bytes | bytearray | memoryview, key: str, t: int | None = None) -> str:
    """The ``Calendly-Webhook-Signature`` value Calendly would send for ``body``.

    For tests and the mock server.

    Parameters
    ----------
    body:
        The exact bytes of the request body.
    key:
        The subscription's signing key.
    t:
        The unix timestamp to sign with; now by default.

    Returns
    -------
    str
        ``t=<t>,v1=<hex HMAC-SHA256 of "<t>." + body>``.
    """
    (signing_key,) = _signing_keys(key)
    timestamp = str(int(time.time()) if t is None else int(t))
    return f"t={timestamp},v1={_digest(signing_key, timestamp, _raw_body(body))}"


def _check_age(timestamp: str, tolerance: float, now: float) -> None:
    age = now - int(timestamp)
    if age > tolerance:
        raise InvalidSignatureError(
            f"the signature is {age:.0f} s old, more than the {tolerance:g} s tolerance "
            "(a delayed or replayed delivery)",
            reason="expired",
        )
    if -age > tolerance:
        raise InvalidSignatureError(
            f"the signature is {-age:.0f} s in the future, more than the {tolerance:g} s "
            "tolerance (check the server clock)",
            reason="future",
        )


def verify_signature(
    body: bytes | bytearray | memoryview,
    header: str | None,
    signing_key: str | Sequence[str],
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> None:
    """Check a delivery's ``Calendly-Webhook-Signature`` header; raise if it is not valid.

    Any ``v1`` value of the header may match any of the keys, so keys can be
    rotated (pass the new and the old key) and Calendly may send several
    signatures. Digests are compared in constant time.

    Parameters
    ----------
    body:
        The exact raw request bytes (never re-serialised JSON).
    header:
        The ``Calendly-Webhook-Signature`` header value, or ``None`` when absent.
    signing_key:
        The subscription's signing key, or several of them.
    tolerance:
        Maximum distance in seconds between the header's ``t`` and ``now``.
    now:
        Unix time to check against; ``time.time()`` by default.

    Raises
    ------
    InvalidSignatureError
        ``reason`` ``missing``, ``malformed``, ``mismatch``, ``expired`` or ``future``.
        The signature is checked before the timestamp, so a forged request is
        always reported as ``mismatch``.
    InvalidInputError
        ``signing_key`` is empty, ``body`` is not bytes or ``tolerance`` is negative.
    """
    keys = _signing_keys(signing_key)
    raw = _raw_body(body)
    if not tolerance >= 0:
        raise InvalidInputError(f"tolerance must be zero or more seconds, not {tolerance!r}")
    parsed = _parse_header(header)
    expected = [_digest(key, parsed.timestamp, raw) for key in keys]
    if not any(
        hmac.compare_digest(candidate, digest)
        for candidate in parsed.signatures
        for digest in expected
    ):
        raise InvalidSignatureError(
            f"the webhook signature does not match the body with any of the {len(keys)} "
            "signing key(s)",
            reason="mismatch",
        )
    _check_age(parsed.timestamp, tolerance, time.time() if now is None else now)
