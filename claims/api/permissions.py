"""Who may do what through the API.

Anyone may read (what they may read is narrowed by the selectors: anonymous
clients see approved claims only). Writes need an authenticated user holding
the model permission for the action, which the "Curators" group grants.
"""

from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissions


class ReadOnlyOrCurator(DjangoModelPermissions):
    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": [],
        "OPTIONS": [],
        "HEAD": [],
    }

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        if request.method.lower() not in view.http_method_names:
            return True  # the view answers 405 Method Not Allowed
        return super().has_permission(request, view)


class CanChange(ReadOnlyOrCurator):
    """A POST that changes a record (an action such as resolve) needs the change permission, not the add one."""

    perms_map = {**ReadOnlyOrCurator.perms_map, "POST": ["%(app_label)s.change_%(model_name)s"]}


class CuratorsOnly(DjangoModelPermissions):
    """Reading needs the model's view permission too (the ingestion jobs: file names, URLs, failures)."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }
