"""Retry policy as plain predicates; tenacity (in ``_transport``) only runs them.

Rules:
- Idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS) retry on 429, 500, 502,
  503, 504 and on every transport failure.
- POST and PATCH retry on 429 and on failures where the request provably never
  reached the server (``ConnectError``); after a 5xx or a read timeout only when
  the caller opts in (``RetryPolicy(retry_unsafe=True)``), because Calendly has
  no idempotency keys and a retried ``POST /invitees`` books twice (reference §4).
- A 429 waits ``Retry-After`` / ``X-RateLimit-Reset`` seconds, at most
  ``MAX_SERVER_WAIT`` (65 s: Calendly windows last a minute); everything else
  backs off exponentially with jitter, capped.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace

from ._ratelimit import cap_server_wait
from .errors import APIError, ConnectError, InvalidInputError, RateLimitError, TransportError

__all__ = ["IDEMPOTENT_METHODS", "RetryPolicy", "backoff_delay", "retry_delay", "should_retry"]

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How a request is retried. Give one to ``Calendly(retry=...)`` or per call.

    Attributes
    ----------
    max_retries:
        Retries after the first attempt (0 disables retrying).
    backoff_base, backoff_max:
        Exponential backoff: ``backoff_base * 2**(n-1)`` seconds, capped at
        ``backoff_max``, with jitter (half fixed, half random).
    exponential:
        ``False`` waits ``fixed_delay`` seconds between attempts instead.
    fixed_delay:
        The wait when ``exponential`` is ``False``.
    retry_statuses:
        Statuses retried for idempotent methods.
    retry_unsafe:
        Also retry POST/PATCH after a 5xx, a read timeout or a dropped
        connection (may repeat a side effect).
    retry_on_all_errors:
        Retry every error status and failure, for every method (the seed's
        "Retry On All Errors"; implies ``retry_unsafe``).
    max_rate_limit_wait:
        Longest 429 wait honoured; a longer ``Retry-After`` raises at once (the
        server's value is kept in ``RateLimitError.retry_after``). Waits up to it
        are still cut to ``MAX_SERVER_WAIT`` (65 s), like every rate-limit wait.
    """

    max_retries: int = 3
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    exponential: bool = True
    fixed_delay: float = 0.0
    retry_statuses: frozenset[int] = field(
        default_factory=lambda: frozenset({429, 500, 502, 503, 504})
    )
    retry_unsafe: bool = False
    retry_on_all_errors: bool = False
    max_rate_limit_wait: float = 120.0

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise InvalidInputError("max_retries must be >= 0")
        delays = (self.backoff_base, self.backoff_max, self.fixed_delay, self.max_rate_limit_wait)
        if any(not delay >= 0 for delay in delays):
            raise InvalidInputError("retry delays must be >= 0")

    def with_changes(self, **changes: object) -> RetryPolicy:
        """A copy with some attributes changed."""
        return replace(self, **changes)  # type: ignore[arg-type]


NO_RETRY = RetryPolicy(max_retries=0)
_RNG = random.Random()


def should_retry(method: str, error: BaseException, policy: RetryPolicy) -> bool:
    """Whether ``error`` from a ``method`` request may be retried under ``policy``.

    Only SDK errors are retried; a 429 whose wait exceeds
    ``policy.max_rate_limit_wait`` is not (it is raised at once).
    """
    if not isinstance(error, APIError | TransportError):
        return False
    if isinstance(error, RateLimitError):
        wait = error.retry_after
        return wait is None or wait <= policy.max_rate_limit_wait
    if isinstance(error, ConnectError):
        return True
    if policy.retry_on_all_errors:
        return True
    if isinstance(error, APIError) and error.status not in policy.retry_statuses:
        return False
    return method.upper() in IDEMPOTENT_METHODS or policy.retry_unsafe


# 2.0**1100 overflows a float; past 2**63 every sane backoff_max has long capped it.
_MAX_EXPONENT = 63


def backoff_delay(attempt: int, policy: RetryPolicy, rng: random.Random | None = None) -> float:
    """Wait before retry number ``attempt`` (1-based) for a non-429 failure.

    Exponential: a value in ``[ceiling / 2, ceiling]`` where ``ceiling`` is
    ``min(backoff_max, backoff_base * 2**(attempt - 1))`` ("equal jitter").
    Otherwise ``fixed_delay``, exactly.
    """
    if not policy.exponential:
        return policy.fixed_delay
    exponent = min(max(attempt - 1, 0), _MAX_EXPONENT)
    ceiling = min(policy.backoff_max, policy.backoff_base * 2.0**exponent)
    jitter: float = (rng or _RNG).uniform(0, ceiling / 2)
    return ceiling / 2 + jitter


def retry_delay(
    attempt: int, error: BaseException, policy: RetryPolicy, rng: random.Random | None = None
) -> float:
    """Wait before retry number ``attempt``: the server's reset for a 429 (capped at
    ``MAX_SERVER_WAIT``), else backoff."""
    if isinstance(error, RateLimitError) and error.retry_after is not None:
        return cap_server_wait(error.retry_after)
    return backoff_delay(attempt, policy, rng)
