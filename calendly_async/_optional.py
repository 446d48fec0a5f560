"""Optional dependencies (extras), imported only when a feature needs them."""

from __future__ import annotations

import importlib
from typing import Any

from .errors import CalendlyError

__all__ = ["MissingDependencyError", "require"]


class MissingDependencyError(CalendlyError, ImportError):
    """A feature needs an optional extra that is not installed (the message names it)."""


def require(module: str, extra: str, feature: str) -> Any:
    """``module``, imported; ``MissingDependencyError`` naming ``extra`` when missing."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependencyError(
            f"{feature} needs {module}: pip install 'calendly-async[{extra}]'"
        ) from None
