"""Benchmark 1, ``decode``: one 100-item ``GET /scheduled_events`` page, bytes to objects.

The body is the mock server's own answer (fetched once), so it carries what a real
page carries: nested locations with conference data, memberships, guests,
cancellations, ``...Z`` timestamps. Rows:

- baseline: ``msgspec.json.decode`` into dicts (no validation, no datetimes);
- calendly_async: ``_decoding.decode_page_body`` into ``ScheduledEvent`` Structs,
  the exact call every page of ``client.scheduled_events.list()`` goes through
  (cached typed decoder, validation, aware datetimes, error wrapping);
- ``json.loads`` into dicts (the standard library);
- pydantic v2 ``model_validate_json`` into mirror models (``_pydantic_models``);
- the peer SDK's own decoding (``json.loads`` + dataclasses-json), when installed.
"""

from __future__ import annotations

import importlib
import json
from types import ModuleType
from typing import Any

import msgspec

from calendly_async._decoding import decode_page_body
from calendly_async._transport import Response
from calendly_async.models import ScheduledEvent

from ._measure import Row, SyncVariant, compare, measure_sync, skipped_row
from ._peer import PEER_LABEL, Peer

__all__ = ["BENCHMARK", "PYDANTIC_LABEL", "decode_rows", "load_pydantic"]

BENCHMARK = "decode"
PYDANTIC_LABEL = "pydantic v2 model_validate_json (mirror models)"


def load_pydantic() -> tuple[ModuleType | None, str]:
    """The pydantic mirror models, or ``None`` and why they cannot be used."""
    try:
        return importlib.import_module("._pydantic_models", __package__), ""
    except ImportError as exc:
        note = f"skipped: {exc.name} is not installed; pip install 'pydantic>=2' (bench extra)"
        return None, note


def _variants(
    body: bytes, pydantic_models: ModuleType | None, peer: Peer | None
) -> list[SyncVariant]:
    response = Response(method="GET", url="/scheduled_events", status=200, headers={}, body=body)

    def raw_msgspec() -> int:
        return len(msgspec.json.decode(body)["collection"])

    def sdk() -> int:
        return len(decode_page_body(response, ScheduledEvent).collection)

    def stdlib() -> int:
        return len(json.loads(body)["collection"])

    variants: list[SyncVariant] = [
        ("msgspec.json.decode -> dicts", raw_msgspec),
        ("calendly_async decode_page_body -> ScheduledEvent", sdk),
        ("json.loads -> dicts", stdlib),
    ]
    if pydantic_models is not None:
        page_model: Any = pydantic_models.EventsPage

        def pydantic() -> int:
            return len(page_model.model_validate_json(body).collection)

        variants.append((PYDANTIC_LABEL, pydantic))
    if peer is not None:
        variants.append((PEER_LABEL, lambda: peer.decode_page(body)))
    return variants


def decode_rows(
    body: bytes,
    *,
    repeats: int,
    min_seconds: float,
    pydantic_models: ModuleType | None,
    pydantic_note: str = "",
    peer: Peer | None,
    peer_note: str = "",
) -> list[Row]:
    """Time every decoder on ``body``; seconds are per page, ratios to raw msgspec.

    Parameters
    ----------
    body:
        A ``{"collection": [...], "pagination": {...}}`` page of scheduled events.
    repeats, min_seconds:
        Samples per decoder, and the least time one sample lasts (calls are
        repeated until it does; a sample's time is divided by the calls).
    pydantic_models, peer:
        The optional rows' code, or ``None`` to report them skipped with the note.
    """
    measured = measure_sync(
        _variants(body, pydantic_models, peer), repeats=repeats, min_seconds=min_seconds
    )
    rows = compare(BENCHMARK, measured)
    if pydantic_models is None:
        rows.append(skipped_row(BENCHMARK, PYDANTIC_LABEL, pydantic_note))
    if peer is None:
        rows.append(skipped_row(BENCHMARK, PEER_LABEL, peer_note))
    return rows
