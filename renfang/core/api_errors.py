"""The API's error answers: DRF's, plus the model's own validation and protected deletes as 400, never 500.

(Its own module: DRF's views import the authentication classes, so core.api_auth cannot import them.)
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's answers, plus the model's own validation and protected deletes as 400 (never 500)."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, ProtectedError):
        exc = exceptions.ValidationError({"detail": _("Other records still refer to this one.")})
    return drf_exception_handler(exc, context)


class JSONParser(parsers.JSONParser):
    """JSON, refusing text with a NUL character in it (PostgreSQL cannot compare such text: it would be a 500)."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:  # JSON nested thousands deep: refused, never a 500
            raise exceptions.ParseError(_("The JSON is nested too deeply.")) from exc
        try:
            where = _nul_in(data, "")
        except RecursionError as exc:
            raise exceptions.ParseError(_("The JSON is nested too deeply.")) from exc
        if where is not None:
            raise exceptions.ParseError(_("The request contains a NUL character in “%(where)s”; remove it and send "
                                          "again.") % {"where": where or "body"})  # fmt: skip
        return data


def _nul_in(value: Any, path: str) -> str | None:
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in str(key):
                return path or "body"
            found = _nul_in(item, f"{path}.{key}" if path else str(key))
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _nul_in(item, f"{path}[{index}]")
            if found is not None:
                return found
    return None
