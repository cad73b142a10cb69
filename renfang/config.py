"""Strict readers for environment variables.

django-environ parses URLs well but quietly turns a mistyped boolean ("ture") into False;
a misconfigured government deployment must stop at start-up instead, with a message that
names the variable and the bad value (healthchecks' envbool, made stricter).
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str) -> str | None:
    """The variable's value, read from ``NAME_FILE`` when that is set (Docker/K8s secrets)."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_path!r} cannot be read: {exc}") from exc
    value = os.environ.get(name)
    return None if value is None or value.strip() == "" else value.strip()


def env_str(name: str, default: str) -> str:
    value = _raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean; use one of true/false, yes/no, 1/0, on/off")


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number") from None
    return _bounded(name, number, minimum, maximum)


def env_float(name: str, default: float, *, minimum: float | None = None, maximum: float | None = None) -> float:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a number") from None
    if number != number:  # NaN
        raise ImproperlyConfigured(f"{name}={value!r} is not a number")
    return _bounded(name, number, minimum, maximum)


def _bounded(name: str, number: Any, minimum: Any, maximum: Any) -> Any:
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below the minimum {minimum}")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name}={number} is above the maximum {maximum}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} is not one of: {', '.join(choices)}")
    return value


PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600, "d": 86400,
           "day": 86400}  # fmt: skip


@dataclass(frozen=True)
class Rate:
    limit: int  # 0: no limit
    period_s: int

    @classmethod
    def parse(cls, text: str, name: str = "rate") -> Rate:
        """``"120/min"`` → Rate(120, 60); ``"0"`` or ``"off"`` → no limit. Bad text stops start-up."""
        if text.strip().lower() in ("0", "off", "none"):
            return cls(0, 60)
        number, _sep, unit = text.partition("/")
        try:
            limit = int(number)
            period = PERIODS[unit.strip().lower() or "min"]
        except (ValueError, KeyError):
            raise ImproperlyConfigured(f"{name}={text!r} is not a rate like 120/min, 10/s or 1000/hour") from None
        if limit < 0:
            raise ImproperlyConfigured(f"{name}={text!r}: the number of requests cannot be negative")
        return cls(limit, period)


def demo_secrets(data_dir: Path) -> dict[str, str]:
    """A laptop's or demo's own random secrets, made on first run and kept in ``data_dir/secrets.json`` (0600).

    Never constants in the code (anyone could read them): the session signing key, the master key of the
    siren terminals and the broker accounts of the alarm service and of the simulated terminals.
    """
    path = data_dir / "secrets.json"
    try:
        stored: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        stored = {}
    except (OSError, ValueError) as exc:
        raise ImproperlyConfigured(f"{path} cannot be read ({exc}); delete it to make new demo secrets") from exc
    wanted = {
        "secret_key": lambda: secrets.token_urlsafe(50),
        "terminal_master_key": lambda: secrets.token_hex(32),
        "mqtt_service_user": lambda: "renfang-service",
        "mqtt_service_password": lambda: secrets.token_urlsafe(24),
        "mqtt_simulator_user": lambda: "renfang-simulator",
        "mqtt_simulator_password": lambda: secrets.token_urlsafe(24),
    }
    missing = {name: make() for name, make in wanted.items() if not stored.get(name)}
    if missing:
        stored.update(missing)
        data_dir.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.touch(mode=0o600)
        temporary.write_text(json.dumps(stored, indent=2), encoding="utf-8")
        temporary.replace(path)  # atomic: two processes starting at once never read half a file
    return stored
