"""``GET /api/v1/calendar/working-days/``: the day a statutory limit ends (no sign-in)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from renfang.core.calendar import work_calendar
from renfang.core.ratelimit import PublicThrottle
from renfang.engine.workdays import MAX_DAYS, CalendarNotCovered, add_working_days


class WorkingDaysView(APIView):
    """The N-th working day after ``start`` (the start day not counted; holidays and make-up days applied)."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicThrottle]

    @extend_schema(
        parameters=[
            OpenApiParameter("start", dt.date, required=True, description="YYYY-MM-DD"),
            OpenApiParameter("days", int, required=True, description=f"0–{MAX_DAYS}"),
        ],
        responses={200: inline_serializer("WorkingDays", {"due_on": serializers.DateField(),
                                                          "working_days": serializers.IntegerField(),
                                                          "start": serializers.DateField()}), 400: dict},
        operation_id="calendar_working_days",
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        errors: dict[str, list[str]] = {}
        start = None
        try:
            start = dt.date.fromisoformat(request.query_params.get("start", ""))
        except ValueError:
            errors["start"] = [_("A date written YYYY-MM-DD is required.")]
        days = None
        raw = request.query_params.get("days", "")
        if raw.strip().isascii() and raw.strip().isdigit() and int(raw) <= MAX_DAYS:  # not "²" or "①"
            days = int(raw)
        else:
            errors["days"] = [_("A whole number of working days from 0 to %(max)d is required.") % {"max": MAX_DAYS}]
        if errors:
            return Response(errors, status=400)
        assert start is not None and days is not None
        calendar = work_calendar()
        try:
            due = add_working_days(calendar, start, days)
        except OverflowError:
            return Response({"start": [_("The count runs past the last date the calendar can hold.")]}, status=400)
        except CalendarNotCovered as exc:
            covered = sorted(calendar.years)
            span = f"{covered[0]}–{covered[-1]}" if covered else "—"
            return Response(
                {"start": [_("The working-day calendar does not cover %(year)d (it covers %(span)s): the holidays of "
                             "that year are not entered yet.") % {"year": exc.year, "span": span}]},
                status=400,
            )  # fmt: skip
        return Response({"start": start.isoformat(), "working_days": days, "due_on": due.due_on.isoformat()})
