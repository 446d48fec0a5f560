"""msgspec models of Calendly resources, one module per API area."""

from ._base import Model
from .users import User

__all__ = ["Model", "User"]
