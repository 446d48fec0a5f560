"""The base of every model: tolerant msgspec Structs.

Schema-evolution rules (msgspec docs, "Schema Evolution"), because Calendly adds
fields and enum values over time and older or partial payloads omit some:

- unknown fields are ignored (never ``forbid_unknown_fields``);
- every field except ``uri`` has a default (``None`` or an empty list);
- enumerations are plain ``str``: an unknown value decodes as itself;
- free-form data (conference ``data``, activity-log ``details``) stays a dict;
- ``kw_only`` so defaults can follow required fields in any order;
- ``gc=False``: models are never tracked by Python's cyclic garbage collector.
  Decoded data holds only scalars, other models and lists/dicts of those, so it
  can never form a reference cycle; tracking 100,000 invitees made the collector
  rescan them again and again while a large list was decoded (benchmarks row 7).
  Do not store a model inside itself (directly or through a dict/list field):
  such a cycle would never be freed.

Encoding a model gives Calendly's own field names back (``msgspec.json.encode``).
"""

from __future__ import annotations

from datetime import datetime

import msgspec

__all__ = ["Model", "Timestamp"]

Timestamp = datetime
"""An aware ``datetime`` (Calendly sends UTC ``...Z`` times)."""


class Model(msgspec.Struct, kw_only=True, gc=False):
    """Base of all Calendly resource models (untracked by the cyclic GC; see above)."""
