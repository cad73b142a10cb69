"""Draws: the engine against a second implementation written from docs/draws.md alone, and their properties."""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from math import ceil

import pytest

from renfang.engine import draws


# --- a second implementation, from the text of docs/draws.md only (no engine code is reused) -----------------
def doc_digest(pool: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(set(pool))).encode("utf-8")).hexdigest()


def doc_stream(key: bytes, label: str):  # type: ignore[no-untyped-def]
    c = 0
    while True:
        block = hashlib.sha256(key + label.encode("utf-8") + b"\x00" + c.to_bytes(8, "big")).digest()
        for i in range(0, 32, 8):
            yield int.from_bytes(block[i : i + 8], "big")
        c += 1


def doc_sample(seed_hex: str, public: str, pool: list[str], label: str, k: int, candidates: list[str]) -> list[str]:
    key = hashlib.sha256(
        b"renfang-draw-v1" + b"\x00" + bytes.fromhex(seed_hex) + b"\x00" + public.encode("utf-8") + b"\x00"
        + doc_digest(pool).encode("ascii")
    ).digest()  # fmt: skip
    ints = doc_stream(key, label)

    def below(n: int) -> int:
        limit = 2**64 - (2**64 % n)
        while True:
            x: int = next(ints)
            if x < limit:
                return x % n

    a = sorted(set(candidates))
    for i in range(min(k, len(a))):
        j = i + below(len(a) - i)
        a[i], a[j] = a[j], a[i]
    return a[: min(k, len(a))]


def test_the_commitment_is_the_sha256_of_the_seed_bytes() -> None:
    seed = "00" * 31 + "01"
    assert draws.commitment(seed) == hashlib.sha256(bytes(31) + b"\x01").hexdigest()


@pytest.mark.parametrize("case", range(40))
def test_a_draw_replays_with_the_documented_algorithm(case: int) -> None:
    rng = random.Random(case)
    pool = [f"organisation:{rng.randrange(10**6)}" for _ in range(rng.randrange(1, 300))]
    if case % 5 == 0:  # identifiers beyond ASCII sort by code point
        pool += ["机构:甲", "机构:乙", "Ω"]
    seed = "".join(rng.choice("0123456789abcdef") for _ in range(64))
    public = "" if case % 2 else f"福彩3D {rng.randrange(1000):03d}"
    candidates = rng.sample(sorted(set(pool)), rng.randrange(1, len(set(pool)) + 1))
    k = rng.randrange(0, len(candidates) + 3)
    drawer = draws.Drawer(seed, pool, public)
    assert drawer.digest == doc_digest(pool)
    got = drawer.sample("intermediary", k, candidates)
    assert list(got.result) == doc_sample(seed, public, pool, "intermediary", k, candidates)


def test_the_result_does_not_depend_on_the_order_the_pool_was_listed_in() -> None:
    seed = draws.new_seed()
    pool = [f"w:{i}" for i in range(50)]
    first = draws.Drawer(seed, pool).sample("x", 7).result
    assert draws.Drawer(seed, list(reversed(pool))).sample("x", 7).result == first


def test_the_public_value_and_the_label_change_the_result() -> None:
    seed = draws.new_seed()
    pool = [f"w:{i}" for i in range(1000)]
    base = draws.Drawer(seed, pool).sample("x", 10).result
    assert draws.Drawer(seed, pool, "123").sample("x", 10).result != base
    assert draws.Drawer(seed, pool).sample("y", 10).result != base


def test_draws_are_uniform() -> None:
    # 6,000 single draws from 6 members: each about 1,000 (χ² with 5 degrees of freedom, 99.9 % bound 20.5)
    counts = Counter(draws.Drawer(draws.new_seed(), list("abcdef")).sample("x", 1).result[0] for _ in range(6000))
    chi2 = sum((counts[m] - 1000) ** 2 / 1000 for m in "abcdef")
    assert chi2 < 20.5


def test_stratified_draws_take_the_ceiling_of_each_ratio() -> None:
    drawer = draws.Drawer(draws.new_seed(), [f"o:{i}" for i in range(100)])
    strata = {"high": [f"o:{i}" for i in range(10)], "low": [f"o:{i}" for i in range(10, 100)]}
    got = draws.stratified(drawer, strata, {"high": "0.3", "low": "0.01"}, "objects")
    assert [(d.label, len(d.result)) for d in got] == [("objects/high", 3), ("objects/low", 1)]
    assert draws.stratum_size("0.05", 30) == ceil(0.05 * 30) == 2
    assert draws.stratum_size("0.1", 30) == 3  # exact: a float would give ⌈3.0000000000000004⌉ = 4


@pytest.mark.parametrize(
    ("seed", "pool"),
    [("AB" * 32, ["a"]), ("ab" * 31, ["a"]), ("zz" * 32, ["a"]), ("ab" * 32, ["a\nb"]), ("ab" * 32, [" a"])],
)
def test_malformed_inputs_are_refused(seed: str, pool: list[str]) -> None:
    with pytest.raises(draws.DrawError):
        draws.Drawer(seed, pool).sample("x", 1)


def test_candidates_outside_the_frozen_pool_are_refused() -> None:
    with pytest.raises(draws.DrawError, match="not in the frozen pool"):
        draws.Drawer(draws.new_seed(), ["a", "b"]).sample("x", 1, ["c"])
