"""The 18-character unified social credit code (统一社会信用代码, GB 32100-2015) and its check character."""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


def uscc_check_char(first17: str) -> str:
    """The check character for the first 17 characters (which must be valid characters)."""
    total = sum(_VALUE[c] * w for c, w in zip(first17.upper(), _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate_uscc(code: str) -> str | None:
    """None if ``code`` is a well-formed credit code, else an English message saying what is wrong."""
    code = code.strip().upper()
    if len(code) != 18:
        return f"it has {len(code)} characters; a credit code has 18"
    for position, char in enumerate(code, start=1):
        if char not in _VALUE:
            return f"character {position} ({char!r}) is not allowed (I, O, S, V and Z are never used)"
    if not code[2:8].isdigit():
        return "characters 3-8 must be the 6-digit administrative division code"
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        return f"the check character is {code[17]!r} but should be {expected!r}"
    return None
