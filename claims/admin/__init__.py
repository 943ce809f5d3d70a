"""The curator's workbench: the Django admin of the expert-claims database.

Each module registers its ModelAdmins on import:

- ``curation``: claims (with the review queue and bulk review), articles, experts
  (with merging), aliases, affiliations, organizations, outlets, topics.

Predictions, events and evidence links get their admin in ``predictions``;
import it here when it lands:

    from claims.admin import predictions  # noqa: F401
"""

import claims.admin.predictions  # noqa: F401
from claims.admin import curation  # noqa: F401
