"""Models are ``gc=False`` Structs: decoded data is never tracked by the cyclic GC.

Decoding and holding 100,000 invitees spent most of its time in collector passes
rescanning them (benchmarks row 7). Decoded models hold only scalars, other
models and lists/dicts of those, so they cannot form a reference cycle.
"""

from __future__ import annotations

import gc
import inspect

import msgspec
from helpers import fixture, page_body

import calendly_async.models as models
from calendly_async._decoding import decode_page_body
from calendly_async._transport import Response
from calendly_async.models import Invitee, OutgoingCommunication, ScheduledEvent

TRACKED = {OutgoingCommunication}
"""The mock subclasses it with ``dict=True``, which msgspec allows only with gc=True."""


def _model_classes() -> list[type[msgspec.Struct]]:
    return [
        value
        for value in vars(models).values()
        if inspect.isclass(value) and issubclass(value, msgspec.Struct)
    ]


def test_every_model_but_one_is_untracked_by_the_cyclic_gc() -> None:
    classes = _model_classes()
    assert len(classes) > 50
    tracked = {cls for cls in classes if cls.__struct_config__.gc}
    assert tracked == TRACKED


def test_decoded_pages_hold_untracked_models() -> None:
    for name, model in (("list_events", ScheduledEvent), ("list_event_invitees", Invitee)):
        body = msgspec.json.encode(page_body(fixture(name) * 3))
        response = Response(method="GET", url="/x", status=200, headers={}, body=body)
        items = decode_page_body(response, model).collection
        assert len(items) == 3 * len(fixture(name))
        assert not any(gc.is_tracked(item) for item in items)
