"""The API's error answers: DRF's, plus the model's own validation and protected deletes as 400, never 500.

(Its own module: DRF's views import the authentication classes, so core.api_auth cannot import them.)
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from rest_framework import exceptions
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
