"""The curator's workbench: the Django admin of the expert-claims database.

One module per context registers its ModelAdmins on import: ``claims`` (the
review queue, bulk review, topics), ``articles`` (articles, outlets),
``people`` (experts with merging, aliases, affiliations, organizations) and
``predictions`` (predictions, events, evidence links). What they share is in
``base`` (writes through the services), ``display``, ``filters``, ``forms`` and
``actions``.
"""

from claims.admin import articles, claims, people, predictions  # noqa: F401
