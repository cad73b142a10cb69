"""The 18-character unified social credit code (统一社会信用代码, GB 32100-2015) and its check character."""

from __future__ import annotations

from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


def uscc_check_char(first17: str) -> str:
    """The check character for the first 17 characters (which must be valid characters)."""
    total = sum(_VALUE[c] * w for c, w in zip(first17.upper(), _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


@dataclass(frozen=True)
class UsccProblem:
    """What is wrong with a code: ``kind`` is length, character, division or check (the caller words it)."""

    kind: str
    length: int = 0
    position: int = 0
    char: str = ""
    expected: str = ""

    def __str__(self) -> str:
        return {
            "length": f"it has {self.length} characters; a credit code has 18",
            "character": f"character {self.position} ({self.char!r}) is not allowed (I, O, S, V and Z are never used)",
            "division": "characters 3-8 must be the 6-digit administrative division code",
            "check": f"the check character is {self.char!r} but should be {self.expected!r}",
        }[self.kind]


def validate_uscc(code: str) -> UsccProblem | None:
    """None if ``code`` is a well-formed credit code, else what is wrong with it."""
    code = code.strip().upper()
    if len(code) != 18:
        return UsccProblem("length", length=len(code))
    for position, char in enumerate(code, start=1):
        if char not in _VALUE:
            return UsccProblem("character", position=position, char=char)
    if not code[2:8].isdigit():
        return UsccProblem("division")
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        return UsccProblem("check", char=code[17], expected=expected)
    return None
