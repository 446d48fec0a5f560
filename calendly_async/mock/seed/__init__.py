"""The mock's seeded data: one ``random.Random(seed)``, consumed in a fixed order.

- ``build``: the entry point (``SeedConfig``, ``build_store``) and the
  organization, members, groups, schedules, event types, routing forms, busy
  times and activity log;
- ``events``: scheduled events and their invitees;
- ``crm``: teams, contacts, custom fields, contact lists, notes and meeting recaps;
- ``data``: the fixed name and timezone pools the builders draw from.
"""

from .build import SeedConfig, build_store, default_start

__all__ = ["SeedConfig", "build_store", "default_start"]
