"""Fixed word lists the seeded data is drawn from (deterministic by index)."""

from __future__ import annotations

__all__ = [
    "COLORS",
    "EVENT_TYPE_NAMES",
    "FIRST_NAMES",
    "INDUSTRIES",
    "LAST_NAMES",
    "LOCATION_KINDS",
    "LOG_ACTIONS",
    "TIMEZONES",
]

FIRST_NAMES = (
    "Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Margaret", "Ken",
    "Frances", "Dennis", "Radia", "Tim", "Katherine", "Linus", "Hedy", "John",
    "Annie", "Niklaus", "Sophie", "Guido", "Mary", "Bjarne", "Jean", "Leslie",
)  # fmt: skip

LAST_NAMES = (
    "Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Hamilton",
    "Thompson", "Allen", "Ritchie", "Perlman", "Berners-Lee", "Johnson",
    "Torvalds", "Lamarr", "McCarthy", "Easley", "Wirth", "Wilson", "van Rossum",
    "Keller", "Stroustrup", "Sammet", "Lamport",
)  # fmt: skip

TIMEZONES = (
    "America/New_York", "Europe/London", "Europe/Berlin", "America/Los_Angeles",
    "Asia/Tokyo", "UTC", "Australia/Sydney", "America/Sao_Paulo",
)  # fmt: skip

EVENT_TYPE_NAMES = (
    ("15 Minute Meeting", 15), ("30 Minute Meeting", 30), ("Discovery Call", 30),
    ("Product Demo", 45), ("Interview", 60), ("Office Hours", 30), ("Onboarding", 60),
    ("Quick Sync", 15),
)  # fmt: skip

LOCATION_KINDS = ("physical", "zoom_conference", "google_conference", "outbound_call", "custom")
"""Event-type location kinds cycled through by the seed (reference §6.4)."""

COLORS = ("#fff200", "#8247f5", "#17e885", "#0099ff", "#ff4f00", "#e55cff")

INDUSTRIES = ("IT & Software", "Healthcare", "Education", "Finance", "Retail", "Other")

LOG_ACTIONS = (
    ("User", "Add"), ("User", "Remove"), ("User", "UpdateRole"), ("EventType", "Create"),
    ("EventType", "Update"), ("Login", "Success"), ("Webhook", "Create"),
    ("Organization", "UpdateSettings"),
)  # fmt: skip
