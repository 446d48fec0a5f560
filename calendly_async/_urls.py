"""Base URLs and where the bearer token may go. Pure functions."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from .errors import InvalidInputError

__all__ = ["check_base_url", "check_proxy_url", "is_loopback_host", "join_url", "same_origin"]


def is_loopback_host(host: str) -> bool:
    """``localhost``, 127.0.0.0/8 or ``::1``."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_base_url(url: str, *, what: str = "base_url") -> str:
    """Validate a base URL and return it without a trailing slash.

    Plain ``http://`` is only allowed for loopback hosts (the embedded mock
    server, tests): anything else would send the bearer token in clear text.
    Raises ``InvalidInputError`` for that, for a non-http(s) or relative URL, a
    query or fragment, and embedded credentials.
    """
    if not isinstance(url, str):
        raise InvalidInputError(f"{what} must be a string, not {type(url).__name__}")
    parts = urlsplit(url)
    if parts.username is not None or parts.password is not None:
        # The URL is logged and quoted in errors; credentials belong in token=/OAuth2.
        raise InvalidInputError(f"{what} must not embed a user name or password")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInputError(f"{what} {url!r} must be an absolute http(s) URL")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise InvalidInputError(
            f"{what} {url!r} uses plain http on a non-loopback host; use https"
        )
    if parts.query or parts.fragment:
        raise InvalidInputError(f"{what} {url!r} must not have a query or fragment")
    try:
        parts.port  # noqa: B018 - urlsplit checks the port lazily
    except ValueError:
        raise InvalidInputError(f"{what} {url!r} has an invalid port") from None
    return url.rstrip("/")


def check_proxy_url(url: str) -> str:
    """Validate a proxy URL: absolute ``http://`` or ``https://`` with a host.

    It may embed ``user:password@`` for the proxy, so the URL is never quoted
    in the ``InvalidInputError``.
    """
    if not isinstance(url, str):
        raise InvalidInputError(f"proxy must be a string, not {type(url).__name__}")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - urlsplit checks the port lazily
    except ValueError:
        raise InvalidInputError("proxy is not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInputError("proxy must be an absolute http:// or https:// URL")
    return url


def _origin(url: str) -> tuple[str, str, int | None] | None:
    try:
        parts = urlsplit(url)
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:
        return None
    return parts.scheme, (parts.hostname or "").lower(), port


def same_origin(url: str, base_url: str) -> bool:
    """Whether ``url`` is on the same scheme, host and port as ``base_url``.

    Decides whether the bearer token may be attached: a full URL on any other
    origin (or an unparsable one) gets no ``Authorization`` header.
    """
    if url.startswith(base_url) and url[len(base_url) : len(base_url) + 1] in ("", "/"):
        return True  # base_url itself or a path under it: every request the SDK builds
    origin = _origin(url)
    return origin is not None and origin == _origin(base_url)


def join_url(base_url: str, path_or_url: str) -> str:
    """An absolute URL as is; a path (``/users/me``) appended to ``base_url``.

    Raises ``InvalidInputError`` for an absolute URL without a host or with a
    malformed host or port, and for any other scheme.
    """
    if path_or_url.startswith(("http://", "https://")):
        try:
            parts = urlsplit(path_or_url)
            parts.port  # noqa: B018 - urlsplit checks the port lazily
        except ValueError as exc:
            raise InvalidInputError(f"{path_or_url!r} is not a valid URL: {exc}") from None
        if not parts.hostname:
            raise InvalidInputError(f"{path_or_url!r} has no host")
        return path_or_url
    if "://" in path_or_url:
        raise InvalidInputError(f"{path_or_url!r} is neither a path nor an http(s) URL")
    return f"{base_url}/{path_or_url.lstrip('/')}"
