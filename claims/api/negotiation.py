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


class ExplicitFormatNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        name = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if name is None:
            return super().select_renderer(request, renderers, format_suffix)
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
