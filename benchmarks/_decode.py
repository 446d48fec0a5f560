"""Row 1, ``decode``: a 100-invitee and a 100-event page, bytes to objects.

The bodies are the mock server's own answers (fetched once), so they carry what
real pages carry: nested locations with conference data, memberships, guests,
questions and answers, tracking, cancellations, ``...Z`` timestamps. Rows per page:

- baseline: ``msgspec.json.decode`` into dicts (no validation, no datetimes);
- calendly_async: ``_decoding.decode_page_body`` into ``Invitee`` /
  ``ScheduledEvent`` Structs, the exact call every listed page goes through
  (cached typed decoder, validation, aware datetimes, error wrapping);
- ``json.loads`` and ``orjson.loads`` into dicts;
- pydantic v2 ``model_validate_json`` into mirror models (``_pydantic_models``).

``orjson`` and ``pydantic`` are in the ``bench`` extra; without them their rows
are reported skipped, with the reason.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from types import ModuleType
from typing import Any

import msgspec

from calendly_async._decoding import decode_page_body
from calendly_async._transport import Response
from calendly_async.models import Invitee, ScheduledEvent

from ._measure import Row, SyncVariant, compare, measure_sync, skipped_row

__all__ = [
    "BASELINE",
    "ORJSON_LABEL",
    "PYDANTIC_LABEL",
    "SDK_LABEL",
    "decode_rows",
    "load_optional",
]

BASELINE = "msgspec.json.decode -> dicts"
SDK_LABEL = "calendly_async decode_page_body -> Structs"
ORJSON_LABEL = "orjson.loads -> dicts"
PYDANTIC_LABEL = "pydantic v2 model_validate_json (mirror models)"


def load_optional(module: str, extra: str) -> tuple[ModuleType | None, str]:
    """``module`` imported, or ``None`` and why it cannot be used."""
    try:
        return importlib.import_module(module, __package__), ""
    except ImportError as exc:
        return None, f"skipped: {exc.name} is not installed; pip install '{extra}' (bench extra)"


def _variants(
    body: bytes,
    model: type[Any],
    pydantic_page: Any | None,
    orjson: ModuleType | None,
) -> list[SyncVariant]:
    response = Response(method="GET", url="/page", status=200, headers={}, body=body)

    def raw_msgspec() -> int:
        return len(msgspec.json.decode(body)["collection"])

    def sdk() -> int:
        return len(decode_page_body(response, model).collection)

    def stdlib() -> int:
        return len(json.loads(body)["collection"])

    variants: list[SyncVariant] = [
        (BASELINE, raw_msgspec),
        (SDK_LABEL, sdk),
        ("json.loads -> dicts", stdlib),
    ]
    if orjson is not None:
        loads: Callable[[bytes], Any] = orjson.loads
        variants.append((ORJSON_LABEL, lambda: len(loads(body)["collection"])))
    if pydantic_page is not None:
        page_model = pydantic_page
        variants.append(
            (PYDANTIC_LABEL, lambda: len(page_model.model_validate_json(body).collection))
        )
    return variants


def decode_rows(
    bodies: dict[str, bytes],
    *,
    repeats: int,
    min_seconds: float,
    pydantic_models: ModuleType | None,
    pydantic_note: str = "",
    orjson: ModuleType | None = None,
    orjson_note: str = "",
) -> list[Row]:
    """Time every decoder on each body; seconds are per page, ratios to raw msgspec.

    Parameters
    ----------
    bodies:
        ``{"invitees": ..., "events": ...}``: ``{"collection": [...], ...}`` pages.
    repeats, min_seconds:
        Samples per decoder, and the least time one sample lasts (calls are
        repeated until it does; a sample's time is divided by the calls).
    pydantic_models, orjson:
        The optional rows' modules, or ``None`` to report them skipped with the note.
    """
    rows: list[Row] = []
    for name, body in bodies.items():
        model = Invitee if name == "invitees" else ScheduledEvent
        pydantic_page = None
        if pydantic_models is not None:
            pydantic_page = (
                pydantic_models.InviteesPage if name == "invitees" else pydantic_models.EventsPage
            )
        measured = measure_sync(
            _variants(body, model, pydantic_page, orjson),
            repeats=repeats,
            min_seconds=min_seconds,
        )
        benchmark = f"decode_{name}"
        note = f"one page of 100 {model.__name__} ({len(body):,} bytes)"
        rows += compare(1, benchmark, measured, note)
        if orjson is None:
            rows.append(skipped_row(1, benchmark, ORJSON_LABEL, orjson_note))
        if pydantic_models is None:
            rows.append(skipped_row(1, benchmark, PYDANTIC_LABEL, pydantic_note))
    return rows
