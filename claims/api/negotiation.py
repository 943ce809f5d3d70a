"""Content negotiation: an explicit ``?format=`` wins over the Accept header, and an unknown one says what exists.

DRF's default answers 406 when ``?format=csv`` comes with an ``Accept`` header that does not list
text/csv (a browser's, a generated client's ``application/json``), and a bare "Not found." to a
format the endpoint does not offer. Here the format the client named is the one it gets, and an
unknown format is a 400 that lists the endpoint's formats.
"""

from __future__ import annotations

from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation

__all__ = ["ExplicitFormatNegotiation", "UnknownFormat"]


class UnknownFormat(ValidationError):
    """``?format=X`` names no renderer of this endpoint."""


# (Accept header, the renderers' classes) -> (index of the chosen renderer, accepted media type): DRF parses
# the header and matches it against every renderer on each request, though the answer depends on these alone.
# A client picks its header, so the cache is bounded (cleared when full).
_CHOSEN: dict[tuple, tuple[int, str]] = {}
_CHOSEN_MAX = 512


class ExplicitFormatNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        name = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if name is None:
            key = (request.META.get("HTTP_ACCEPT", "*/*"), tuple(type(renderer) for renderer in renderers))
            chosen = _CHOSEN.get(key)
            if chosen is None:
                renderer, media_type = super().select_renderer(request, renderers, format_suffix)
                if len(_CHOSEN) >= _CHOSEN_MAX:
                    _CHOSEN.clear()
                chosen = _CHOSEN[key] = (renderers.index(renderer), media_type)
            return renderers[chosen[0]], chosen[1]
        for renderer in renderers:
            if renderer.format == name:
                return renderer, renderer.media_type
        offered = ", ".join(dict.fromkeys(renderer.format for renderer in renderers))
        raise UnknownFormat(
            {
                "detail": f"Unknown format {name!r}: this endpoint answers in {offered}.",
                "parameter": self.settings.URL_FORMAT_OVERRIDE,
                "formats": list(dict.fromkeys(renderer.format for renderer in renderers)),
            }
        )
