"""Filter backend that refuses what it does not understand.

django-filter ignores unknown query parameters, so ``?speker=Lankov`` would
silently return every claim. Here an unknown parameter, a malformed value, a
parameter given twice (``expert=A&expert=B`` would keep only B) or a control
parameter the list's paginator refuses (``offset`` on a list paged by cursor)
answers 400 with the parameter named and the accepted ones listed.

The bound FilterSet is kept as ``view.filterset`` (as django-filter's own
FilterView does), so that the keyset paginator can ask it for the request's
ordering and partitions (claims.api.pagination).
"""

import copy

from django.template import loader
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

# Control parameters that are not filters: output format, pagination.
RESERVED_PARAMETERS = frozenset({"format", "cursor", "limit", "offset"})


def accepted_parameters(view, filterset) -> list[str]:
    names = set(RESERVED_PARAMETERS & set(getattr(view, "control_parameters", RESERVED_PARAMETERS)))
    if filterset is not None:
        names |= set(filterset.filters)
    return sorted(names)


def _labelled(name: str, field):
    """A copy of a form field labelled with its query parameter's name (as in the OpenAPI schema)."""
    field = copy.copy(field)
    field.label = name
    return field


class StrictDjangoFilterBackend(DjangoFilterBackend):
    def to_html(self, request, queryset, view):
        """The browsable API's filter form: each field labelled with its parameter's name, its help text
        below it (django-filter would print "[invalid name]" for method filters, and "Expert" twice)."""
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return None
        form = filterset.form
        form.fields = {name: _labelled(name, field) for name, field in form.fields.items()}
        return loader.get_template(self.template).render({"filter": filterset}, request)

    def filter_queryset(self, request, queryset, view):
        filterset = view.filterset = self.get_filterset(request, queryset, view)
        refused = getattr(view.paginator, "refused_parameters", {})
        accepted = [name for name in accepted_parameters(view, filterset) if name not in refused]
        repeated = sorted(name for name, values in request.query_params.lists() if len(values) > 1)
        if repeated:
            raise ValidationError(
                {
                    "detail": f"Query parameter given more than once: {', '.join(repeated)}. Each takes one value: "
                    "send one (several values are not ORed; run one request per value).",
                    "parameter": repeated[0],
                    "repeated_parameters": repeated,
                }
            )
        # The paginator's own parameters (limit, offset), checked even where it does not page (CSV).
        check_parameters = getattr(view.paginator, "check_parameters", None)
        if check_parameters is not None:
            check_parameters(request)
        unknown = sorted(set(request.query_params) - set(accepted))
        if unknown:
            plural = "s" if len(unknown) > 1 else ""
            raise ValidationError(
                {
                    "detail": f"Unknown query parameter{plural}: {', '.join(unknown)}.",
                    "unknown_parameters": unknown,
                    "accepted_parameters": accepted,
                }
            )
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            errors = {name: [str(message) for message in messages] for name, messages in filterset.errors.items()}
            names = ", ".join(sorted(errors))
            raise ValidationError(
                {
                    "detail": f"Invalid value for query parameter {names}.",
                    "errors": errors,
                    "accepted_parameters": accepted,
                }
            )
        return filterset.qs
