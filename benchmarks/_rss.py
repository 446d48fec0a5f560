"""Peak resident memory of *this* process, in MB (standard library only).

``resource.getrusage(RUSAGE_SELF).ru_maxrss`` is wrong for a child the harness
started: Linux carries the parent's high-water mark across ``fork``/``vfork`` +
``exec`` into it, so every child would report at least the harness's size. The
per-address-space figure ``VmHWM`` in ``/proc/self/status`` starts afresh at
``exec``; it is used where it exists, ``ru_maxrss`` elsewhere.

Imported by ``_peer_export`` (run with a peer's interpreter) by file location, so
it must not import anything from the project.
"""

from __future__ import annotations

import resource
import sys

__all__ = ["peak_rss_mb"]


def peak_rss_mb() -> float:
    """This process's peak RSS in MB (``VmHWM``; ``ru_maxrss`` without ``/proc``)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes / kB
