"""OAuth endpoints on the mock's own host (``auth_base_url=mock.url``).

Calendly rules (reference §5.1): ``GET /oauth/authorize`` redirects to
``redirect_uri`` with ``?code=&state=``; ``POST /oauth/token`` (form) takes
``grant_type=authorization_code`` (``code``, ``redirect_uri``, ``code_verifier``)
or ``grant_type=refresh_token``; web apps authenticate with HTTP Basic, native
apps send ``client_id`` in the form; ``/oauth/revoke`` and ``/oauth/introspect``
take ``client_id``, ``client_secret`` and ``token`` as a form. Errors are RFC 6749
``{"error", "error_description"}``.

A form that is not ASCII percent-encoding of UTF-8 (RFC 6749 appendix B) is
``400 invalid_request``; so is a ``redirect_uri`` that is not an absolute http(s)
URL (``javascript:``, ``data:``, ``file:``): the mock never redirects there.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from aiohttp import web

from ._context import context
from ._http import json_response
from ._oauth_tokens import OAuthError

__all__ = ["OAuthClient", "routes"]

routes = web.RouteTableDef()


@dataclass(frozen=True, slots=True)
class OAuthClient:
    """The one OAuth app the mock knows."""

    client_id: str
    client_secret: str


CLIENT_KEY = web.AppKey("calendly_mock_oauth_client", OAuthClient)


def _error(exc: OAuthError) -> web.Response:
    return json_response(
        {"error": exc.error, "error_description": exc.description}, status=exc.status
    )


def _basic(header: str) -> tuple[str, str] | None:
    if not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise OAuthError("invalid_client", "Malformed Basic credentials", 401) from None
    client_id, _, secret = decoded.partition(":")
    return client_id, secret


def _authenticate(request: web.Request, form: dict[str, str], *, public_ok: bool) -> str:
    """The client id after checking Basic or form credentials."""
    client = request.app[CLIENT_KEY]
    pair = _basic(request.headers.get("Authorization", ""))
    client_id, secret = pair if pair else (form.get("client_id", ""), form.get("client_secret"))
    if not secrets.compare_digest(client_id, client.client_id):
        raise OAuthError("invalid_client", "Unknown client", 401)
    if secret is None or secret == "":
        if not public_ok:
            raise OAuthError("invalid_client", "Client authentication failed", 401)
    elif not secrets.compare_digest(secret, client.client_secret):
        raise OAuthError("invalid_client", "Client authentication failed", 401)
    return client_id


async def _form(request: web.Request) -> dict[str, str]:
    """The form fields (the last of a repeated key); ``invalid_request`` when undecodable."""
    malformed = OAuthError("invalid_request", "The form body is not valid UTF-8 form encoding")
    if request.content_type == "application/x-www-form-urlencoded":
        raw = await request.read()
        try:
            pairs = parse_qsl(raw.decode("ascii"), keep_blank_values=True, errors="strict")
        except UnicodeDecodeError:
            raise malformed from None
        return dict(pairs)
    try:
        data = await request.post()
    except ValueError:  # UnicodeDecodeError included
        raise malformed from None
    return {key: value for key, value in data.items() if isinstance(value, str)}


def _redirect_target(value: str) -> str:
    """``redirect_uri`` when it is an absolute http(s) URL; ``invalid_request`` otherwise."""
    parts = urlsplit(value)
    if not value:
        raise OAuthError("invalid_request", "redirect_uri is required")
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise OAuthError("invalid_request", "redirect_uri must be an absolute http(s) URL")
    return value


def _with_query(url: str, params: dict[str, str]) -> str:
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, urlencode(params)) if q)
    return urlunsplit(parts._replace(query=query))


@routes.get("/oauth/authorize")
async def authorize(request: web.Request) -> web.StreamResponse:
    """Approve at once for the organization's owner and redirect back with a code."""
    client = request.app[CLIENT_KEY]
    query = request.query
    redirect_uri = query.get("redirect_uri", "")
    try:
        if query.get("client_id") != client.client_id:
            raise OAuthError("invalid_client", "Unknown client_id")
        _redirect_target(redirect_uri)
        if query.get("response_type") != "code":
            raise OAuthError("unsupported_response_type", "response_type must be code")
        challenge = query.get("code_challenge")
        if challenge and query.get("code_challenge_method") != "S256":
            raise OAuthError("invalid_request", "code_challenge_method must be S256")
    except OAuthError as exc:
        return _error(exc)
    code = context(request).tokens.issue_code(
        client.client_id, redirect_uri, challenge or None, query.get("scope")
    )
    params = {"code": code}
    if "state" in query:
        params["state"] = query["state"]
    raise web.HTTPFound(_with_query(redirect_uri, params))


@routes.post("/oauth/token")
async def token(request: web.Request) -> web.Response:
    """Issue tokens for an authorisation code or a (single-use) refresh token."""
    tokens = context(request).tokens
    try:
        form = await _form(request)
        grant = form.get("grant_type")
        if grant == "authorization_code":
            code = form.get("code", "")
            # A public client (no secret) must have used PKCE.
            client_id = _authenticate(request, form, public_ok=tokens.code_needs_pkce(code))
            body = tokens.redeem_code(
                code, client_id, form.get("redirect_uri"), form.get("code_verifier")
            )
        elif grant == "refresh_token":
            client_id = _authenticate(request, form, public_ok=True)
            body = tokens.rotate(form.get("refresh_token", ""), client_id)
        else:
            raise OAuthError("unsupported_grant_type", f"grant_type {grant!r} is not supported")
    except OAuthError as exc:
        return _error(exc)
    return json_response(body)


@routes.post("/oauth/revoke")
async def revoke(request: web.Request) -> web.Response:
    """Revoke an access or refresh token (200 with an empty body)."""
    try:
        form = await _form(request)
        _authenticate(request, form, public_ok=True)
        if not form.get("token"):
            raise OAuthError("invalid_request", "token is required")
    except OAuthError as exc:
        return _error(exc)
    context(request).tokens.revoke(form["token"])
    return web.Response(status=200)


@routes.post("/oauth/introspect")
async def introspect(request: web.Request) -> web.Response:
    """``{"active": bool, ...}`` for a token."""
    try:
        form = await _form(request)
        _authenticate(request, form, public_ok=True)
        if not form.get("token"):
            raise OAuthError("invalid_request", "token is required")
    except OAuthError as exc:
        return _error(exc)
    return json_response(context(request).tokens.introspect(form["token"]))
