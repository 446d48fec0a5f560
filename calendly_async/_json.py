"""What a malformed JSON body can raise while it is decoded, in one name.

msgspec raises ``msgspec.DecodeError`` (``ValidationError`` is a subclass) for
invalid JSON and ``RecursionError`` for JSON nested deeper than the interpreter's
recursion limit (``[[[[...]]]]`` from a hostile server). Every decoder of
response bodies catches ``MALFORMED_JSON`` so both become the SDK's typed
``DecodeError`` (or, for error bodies, a plain-text message), never a crash.
"""

from __future__ import annotations

import msgspec

__all__ = ["MALFORMED_JSON"]

MALFORMED_JSON: tuple[type[Exception], ...] = (msgspec.DecodeError, RecursionError)
"""Exceptions meaning "this body is not usable JSON"."""
