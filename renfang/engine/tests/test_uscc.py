from __future__ import annotations

import pytest

from renfang.engine.uscc import uscc_check_char, validate_uscc

# published codes of real organisations
REAL = ["91350100M000100Y43", "91440300708461136T"]


@pytest.mark.parametrize("code", REAL)
def test_real_codes_are_valid(code: str) -> None:
    assert validate_uscc(code) is None
    assert uscc_check_char(code[:17]) == code[17]


def test_a_wrong_check_character_is_named() -> None:
    problem = validate_uscc("91350100M000100Y44")
    assert problem is not None
    assert (problem.kind, problem.char, problem.expected) == ("check", "4", "3")
    assert "'3'" in str(problem)


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("91350100M000100Y4", "17 characters"),
        ("91350100M000I00Y43", "character 13"),
        ("91ABCDEFM000100Y43", "administrative division"),
    ],
)
def test_malformed_codes_say_what_is_wrong(code: str, fragment: str) -> None:
    problem = validate_uscc(code)
    assert problem is not None
    assert fragment in str(problem)
