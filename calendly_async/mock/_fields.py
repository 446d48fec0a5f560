"""Body and name checks shared by the contact-area routes (contacts, custom fields,
contact lists, notes, meeting recaps). Pure functions.

Calendly rules (reference §6.11, §6.12): these endpoints reject unknown body
fields with a 400; List and custom-field names are unique ignoring case, accents
and leading/trailing spaces.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from ._http import bad_request

__all__ = ["folded", "only_fields"]


def only_fields(body: Mapping[str, Any], allowed: Iterable[str], message: str = "") -> None:
    """A 400 naming the first field of ``body`` that is not in ``allowed``."""
    unknown = set(body) - set(allowed)
    if unknown:
        raise bad_request(sorted(unknown)[0], message or "is not a known field")


def folded(text: str) -> str:
    """A name as Calendly compares it: case, accents and edge spaces ignored."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))
