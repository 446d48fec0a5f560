"""``python -m calendly_async``: the same as the ``calendly-async`` command."""

from .cli import run

if __name__ == "__main__":
    run()
