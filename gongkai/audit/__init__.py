"""The security audit trail (安全审计, GB/T 22239-2019 8.1.4.3): an append-only log of who did
what, when and from where.

The lowest app: it imports only Django, so every other app can record into it.
"""
