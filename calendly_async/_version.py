"""The package version, read from the installed distribution's metadata.

``pyproject.toml`` holds the one literal; ``__version__`` and the User-Agent
both come from here.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

__all__ = ["VERSION"]

try:
    VERSION = version("calendly-async")
except PackageNotFoundError:  # imported from a source tree that was never installed
    VERSION = "0+unknown"
