"""Shared test fixtures: a small region tree, one user per role, and clients signed in as them."""

from __future__ import annotations

from renfang.core.tests.fixtures import *  # noqa: F403
