"""The siren terminal protocol: authenticated JSON messages over MQTT (documented in docs/siren-protocol.md).

Every message, in both directions, carries the terminal id, a timestamp, a random nonce and an
HMAC-SHA256 over its canonical JSON made with the terminal's own key. A receiver accepts a message only
if the MAC is right, the timestamp is within the window, and the nonce has not been seen within the
window; so a recorded command replayed later, a forged one, or one made with another terminal's key is
refused (the Dallas 2017 attack replayed unauthenticated radio tones). Every command also has an id,
and a terminal executes an id once, however many times it is delivered.

No Django here: the simulator, the alarm service and tests share this module.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

VERSION = 1
WINDOW_S = 30.0  # clocks of terminals are GNSS/NTP-synchronised; a command older than this is refused
TOPIC_ROOT = "renfang/sirens"
COMMAND_TYPES = ("activate", "cancel", "silent_test", "status_request")
MODES = ("live", "exercise", "test")


class ProtocolError(Exception):
    """A message that must be refused; ``reason`` is a short code logged and sent back in a rejection."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def topic(terminal: str, kind: str) -> str:
    """``renfang/sirens/<terminal>/cmd`` (to the terminal), ``/ack`` and ``/status`` (from it)."""
    return f"{TOPIC_ROOT}/{terminal}/{kind}"


def canonical(message: dict[str, Any]) -> bytes:
    body = {k: v for k, v in message.items() if k != "mac"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign(message: dict[str, Any], key: bytes, now: float | None = None) -> dict[str, Any]:
    """The message with version, timestamp, nonce and MAC added (a new dict)."""
    out = {**message, "v": VERSION, "ts": round(time.time() if now is None else now, 3), "nonce": secrets.token_hex(8)}
    out["mac"] = hmac.new(key, canonical(out), hashlib.sha256).hexdigest()
    return out


def encode(message: dict[str, Any]) -> bytes:
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False).encode()


def decode(payload: bytes) -> dict[str, Any]:
    try:
        message = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProtocolError("malformed", f"not JSON: {exc}") from exc
    if not isinstance(message, dict):
        raise ProtocolError("malformed", "not a JSON object")
    return message


@dataclass
class ReplayGuard:
    """Nonces seen within the window (older ones cannot pass the timestamp check anyway)."""

    window_s: float = WINDOW_S
    seen: OrderedDict[str, float] = field(default_factory=OrderedDict)

    def check_and_remember(self, nonce: str, ts: float, now: float) -> None:
        while self.seen and next(iter(self.seen.values())) < now - 2 * self.window_s:
            self.seen.popitem(last=False)
        if nonce in self.seen:
            raise ProtocolError("replayed", f"nonce {nonce} was already used")
        self.seen[nonce] = ts


def verify(
    message: dict[str, Any], key: bytes, guard: ReplayGuard, now: float | None = None, terminal: str | None = None
) -> dict[str, Any]:
    """Return the message if it is authentic, fresh and new; raise ProtocolError saying why not."""
    now = time.time() if now is None else now
    for name in ("v", "ts", "nonce", "mac", "terminal", "type"):
        if name not in message:
            raise ProtocolError("malformed", f"missing {name}")
    if message["v"] != VERSION:
        raise ProtocolError("version", f"version {message['v']!r}, expected {VERSION}")
    if terminal is not None and message["terminal"] != terminal:
        raise ProtocolError("wrong_terminal", f"addressed to {message['terminal']!r}")
    expected = hmac.new(key, canonical(message), hashlib.sha256).hexdigest()
    if not isinstance(message["mac"], str) or not hmac.compare_digest(expected, message["mac"]):
        raise ProtocolError("bad_mac", "the message authentication code does not match")
    try:
        ts = float(message["ts"])
    except (TypeError, ValueError) as exc:
        raise ProtocolError("malformed", "ts is not a number") from exc
    if abs(now - ts) > guard.window_s:
        raise ProtocolError("stale", f"timestamp is {now - ts:+.1f} s from now (window {guard.window_s:.0f} s)")
    guard.check_and_remember(str(message["nonce"]), ts, now)
    return message


def command(
    terminal: str,
    kind: str,
    key: bytes,
    command_id: str,
    mode: str = "live",
    signal: dict[str, Any] | None = None,
    now: float | None = None,
) -> dict[str, Any]:
    """A signed command. ``signal`` ({"code", "segments", "repeats"}) is required to activate."""
    if kind not in COMMAND_TYPES:
        raise ProtocolError("malformed", f"unknown command {kind!r}")
    if mode not in MODES:
        raise ProtocolError("malformed", f"unknown mode {mode!r}")
    if kind == "activate" and not signal:
        raise ProtocolError("malformed", "an activation needs its signal")
    body: dict[str, Any] = {"terminal": terminal, "type": kind, "id": command_id, "mode": mode}
    if signal is not None:
        body["signal"] = signal
    return sign(body, key, now)


def derive_key(master: bytes, terminal: str) -> bytes:
    """A terminal's key derived from the installation's master secret (HMAC-SHA256 as the KDF).

    The control centre then stores no per-terminal keys: it derives them from one secret that comes from
    the environment, and a terminal is provisioned with ``derive_key(master, its id)`` once.
    """
    if len(master) < 32:
        raise ValueError("the master secret must be at least 32 bytes")
    return hmac.new(master, f"renfang-terminal:{terminal}".encode(), hashlib.sha256).digest()


def new_key() -> str:
    """A fresh 256-bit terminal key, as hex (stored on the terminal and in the registry)."""
    return secrets.token_hex(32)
