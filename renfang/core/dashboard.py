"""Figures apps add to the home page (a key number, with its target where one exists).

Core knows no app; each app registers a function that returns the figures a user may see, so the
home page is the place leadership reads "coverage 75 % against a target of 90 %" without core
importing the sirens or works apps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from renfang.core.refresh import refresh_enabled


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    url: str
    note: str = ""
    warning: bool = False  # short of its target, or something overdue


FigureSource = Callable[[Any], list[Figure]]
SOURCES: list[FigureSource] = []


def figure_source(func: FigureSource) -> FigureSource:
    SOURCES.append(func)
    return func


def figures(user: Any) -> list[Figure]:
    return [figure for source in SOURCES for figure in source(user)]


def stale_note(what_changed: str, run_by: Any = None) -> str:
    """"… changed since: being re-run" where the worker keeps analyses current (as ``run_by``, the person who
    ran it, while their account is active), else "run it again"."""
    if refresh_enabled() and run_by is not None and run_by.is_active:
        return _("%(what)s: it is re-run automatically") % {"what": what_changed}
    return _("%(what)s: run it again") % {"what": what_changed}
