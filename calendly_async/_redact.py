"""Keeping secrets out of logs and reprs. Pure functions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["REDACTED", "mask", "redact_fields", "redact_headers"]

REDACTED = "***"

_SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"}
)
_SECRET_FIELDS = frozenset(
    {
        "access_token",
        "refresh_token",
        "client_secret",
        "code",
        "code_verifier",
        "token",
        "signing_key",
        "password",
        "secret",
    }
)


def mask(secret: str | None) -> str:
    """A stand-in that shows whether a secret is set, never any of its characters."""
    return "None" if secret is None else REDACTED


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Headers with credentials replaced (the auth scheme is kept: ``Bearer ***``)."""
    redacted: dict[str, str] = {}
    for name, value in headers.items():
        if name.lower() in _SECRET_HEADERS:
            scheme = value.split(" ", 1)[0] if " " in value else ""
            redacted[name] = f"{scheme} {REDACTED}".strip()
        else:
            redacted[name] = value
    return redacted


def redact_fields(value: Any) -> Any:
    """A copy of a JSON/form body with secret-named fields masked, at any depth."""
    if isinstance(value, Mapping):
        return {
            key: REDACTED if str(key).lower() in _SECRET_FIELDS else redact_fields(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact_fields(item) for item in value]
    return value
