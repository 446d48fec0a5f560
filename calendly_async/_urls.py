"""Base URLs and where the bearer token may go. Pure functions."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from .errors import InvalidInputError

__all__ = ["check_base_url", "is_loopback_host", "join_url", "same_origin"]


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
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInputError(f"{what} {url!r} must be an absolute http(s) URL")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise InvalidInputError(
            f"{what} {url!r} uses plain http on a non-loopback host; use https"
        )
    if parts.query or parts.fragment:
        raise InvalidInputError(f"{what} {url!r} must not have a query or fragment")
    return url.rstrip("/")


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port


def same_origin(url: str, base_url: str) -> bool:
    """Whether ``url`` is on the same scheme, host and port as ``base_url``."""
    return _origin(url) == _origin(base_url)


def join_url(base_url: str, path_or_url: str) -> str:
    """An absolute URL as is; a path (``/users/me``) appended to ``base_url``."""
    if path_or_url.startswith(("http://", "https://")):
        return path_or_url
    if "://" in path_or_url:
        raise InvalidInputError(f"{path_or_url!r} is neither a path nor an http(s) URL")
    return f"{base_url}/{path_or_url.lstrip('/')}"
