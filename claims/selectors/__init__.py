"""Selectors: every read, one module per context.

``base`` holds visibility (what a user may see), written once; ``search`` the
text and name search that works on PostgreSQL and SQLite alike.
"""
