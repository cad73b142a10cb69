"""Renfang's pure computation engine.

Nothing in this package imports Django or any ``renfang`` app (checked in CI by
``scripts/check_engine_purity.py``). Functions take plain values or numpy arrays and
return frozen dataclasses; they raise :class:`EngineError` for bad input. Every result
that a service stores records :data:`ENGINE_VERSION` and a digest of its inputs so the
computation can be reproduced.
"""

from __future__ import annotations

ENGINE_VERSION = "0.1.0"


class EngineError(ValueError):
    """Bad input to an engine function; the message says what and where."""
