"""Verifiable random draws (``renfang-draw-v1``), specified in ``docs/draws.md``.

The office commits to a secret seed by publishing its SHA-256 together with the frozen pool's digest; after
the draw it reveals the seed, and anyone can recompute the result from the seed, the optional public value
(a lottery number published after the commitment, so the office cannot shop for seeds), the pool and the
labels. Every step is deterministic and defined on bytes, so an implementation in any language reproduces it:
``docs/draws.md`` is the contract and a test implements it a second time from that text alone.

This module is the single implementation the approvals (drawing-review intermediaries) and enforcement
(双随机 inspections) apps call.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

ALGORITHM = "renfang-draw-v1"
SEED_BYTES = 32
_TWO64 = 1 << 64


class DrawError(ValueError):
    """The draw's inputs are not valid (a malformed seed, an identifier that cannot be serialised, …)."""


def new_seed() -> str:
    """A fresh secret seed: 32 bytes from the operating system's CSPRNG, as 64 lowercase hex digits."""
    return secrets.token_hex(SEED_BYTES)


def _seed_bytes(seed_hex: str) -> bytes:
    if len(seed_hex) != 2 * SEED_BYTES or seed_hex != seed_hex.lower():
        raise DrawError("the seed must be 64 lowercase hexadecimal digits")
    try:
        return bytes.fromhex(seed_hex)
    except ValueError as exc:
        raise DrawError("the seed must be 64 lowercase hexadecimal digits") from exc


def commitment(seed_hex: str) -> str:
    """SHA-256 of the seed's 32 bytes (published before the draw)."""
    return hashlib.sha256(_seed_bytes(seed_hex)).hexdigest()


def canonical_pool(members: Iterable[str]) -> list[str]:
    """The pool in its canonical order: distinct identifiers sorted by Unicode code point."""
    pool = sorted(set(members))
    for member in pool:
        if not member or "\n" in member or member != member.strip():
            raise DrawError(f"pool identifier {member!r} is empty, has a line break or surrounding spaces")
    return pool


def pool_digest(members: Iterable[str]) -> str:
    """SHA-256 of the canonical pool joined by line feeds, UTF-8 (docs/draws.md §2)."""
    return hashlib.sha256("\n".join(canonical_pool(members)).encode()).hexdigest()


def _key(seed_hex: str, public_value: str, digest: str) -> bytes:
    material = b"\x00".join([ALGORITHM.encode(), _seed_bytes(seed_hex), public_value.encode(), digest.encode()])
    return hashlib.sha256(material).digest()


class Stream:
    """The byte stream of one label: SHA-256(key ‖ label ‖ 0x00 ‖ counter as 8 bytes big-endian), counter 0, 1, …"""

    def __init__(self, key: bytes, label: str) -> None:
        if "\x00" in label:
            raise DrawError("a label may not contain NUL")
        self._prefix = key + label.encode() + b"\x00"
        self._blocks = self._generate()
        self._buffer = b""

    def _generate(self) -> Iterator[bytes]:
        counter = 0
        while True:
            yield hashlib.sha256(self._prefix + counter.to_bytes(8, "big")).digest()
            counter += 1

    def u64(self) -> int:
        if len(self._buffer) < 8:
            self._buffer += next(self._blocks)
        value, self._buffer = int.from_bytes(self._buffer[:8], "big"), self._buffer[8:]
        return value

    def below(self, n: int) -> int:
        """A uniform integer in [0, n): 64-bit values at or above the largest multiple of n are rejected."""
        if n <= 0:
            raise DrawError("cannot draw from an empty range")
        limit = _TWO64 - _TWO64 % n
        while True:
            value = self.u64()
            if value < limit:
                return value % n


@dataclass(frozen=True)
class Draw:
    """One drawn sample: its label, how many were asked for, and the members drawn in draw order."""

    label: str
    k: int
    result: tuple[str, ...]


class Drawer:
    """Draws from one frozen pool with one revealed seed; each label is an independent stream."""

    def __init__(self, seed_hex: str, pool: Iterable[str], public_value: str = "") -> None:
        self.pool = canonical_pool(pool)
        self.digest = pool_digest(self.pool)
        self.public_value = public_value
        self._key = _key(seed_hex, public_value, self.digest)

    def stream(self, label: str) -> Stream:
        return Stream(self._key, label)

    def sample(self, label: str, k: int, members: Sequence[str] | None = None) -> Draw:
        """``k`` distinct members by a partial Fisher–Yates shuffle of ``members`` (default: the whole pool).

        ``members`` must be part of the frozen pool; they are put in canonical order first, so the result does
        not depend on how the caller listed them.
        """
        candidates = self.pool if members is None else canonical_pool(members)
        outside = set(candidates) - set(self.pool)
        if outside:
            raise DrawError(f"{len(outside)} candidates are not in the frozen pool")
        if k < 0:
            raise DrawError("cannot draw a negative number of members")
        items = list(candidates)
        take = min(k, len(items))
        stream = self.stream(label)
        for i in range(take):
            j = i + stream.below(len(items) - i)
            items[i], items[j] = items[j], items[i]
        return Draw(label, k, tuple(items[:take]))


def stratum_size(ratio: str, members: int) -> int:
    """How many of a stratum of ``members`` a ratio asks for: ⌈ratio × members⌉, exactly (docs/draws.md §5)."""
    share = Fraction(ratio)
    if not 0 <= share <= 1:
        raise DrawError(f"ratio {ratio} is not between 0 and 1")
    return -((-share.numerator * members) // share.denominator)


def stratified(
    drawer: Drawer, strata: Mapping[str, Sequence[str]], ratios: Mapping[str, str], prefix: str
) -> list[Draw]:
    """Each stratum (class name → members) sampled by its ratio, strata in code-point order of their names."""
    draws = []
    for name in sorted(strata):
        if name not in ratios:
            raise DrawError(f"no ratio for class {name}")
        members = strata[name]
        draws.append(drawer.sample(f"{prefix}/{name}", stratum_size(ratios[name], len(set(members))), members))
    return draws
