"""Fail unless every user-facing string has a Chinese translation.

Re-extracts the messages (makemessages, so a new string in code or a template is caught), then checks
that locale/zh_Hans/LC_MESSAGES/django.po has no empty or fuzzy translation. English is the source
language of the code, so it is complete by construction.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def entries(text: str) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) for each entry; plural forms count as translated if msgstr[0] is."""
    result = []
    for block in text.split("\n\n"):
        fuzzy = "#, fuzzy" in block or ", fuzzy" in block
        msgid = "".join(re.findall(r'^(?:msgid|msgid_plural)? ?"(.*)"$', block.split("msgstr")[0], re.M))
        strs = block.split("msgstr", 1)[1] if "msgstr" in block else ""
        msgstr = "".join(re.findall(r'"(.*)"', strs.split("msgstr[1]")[0]))
        if msgid:
            result.append((msgid, msgstr, fuzzy))
    return result


def main() -> int:
    env = {**os.environ, "RENFANG_DEBUG": "true"}
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-location",
            "--no-obsolete",
            "--ignore=.venv/*",
            "--ignore=node_modules/*",
            "--ignore=bench/*",
            "-v",
            "0",
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    problems = [(m, fuzzy) for m, s, fuzzy in entries(PO.read_text(encoding="utf-8")) if not s or fuzzy]
    for msgid, fuzzy in problems:
        print(f"{'fuzzy' if fuzzy else 'untranslated'}: {msgid}")
    if problems:
        print(f"{len(problems)} strings lack a Chinese translation in {PO.relative_to(ROOT)}", file=sys.stderr)
        return 1
    print(f"translations: {len(entries(PO.read_text(encoding='utf-8')))} strings, all translated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
