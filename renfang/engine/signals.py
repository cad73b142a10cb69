"""Alarm signals as data: a pattern of (sound, silence) segments repeated, its timeline and its audio.

The national signals (domain-facts.md §1.1) are 预先警报 (36 s on, 24 s off) × 3, 空袭警报 (6 s on,
6 s off) × 15 and 解除警报 (180 s on) × 1; local ones such as a 灾情警报 differ by jurisdiction
(Chongqing 3/3 × 30; Qingdao 15/10, 5/10 × 3), so nothing here knows any signal by name.
"""

from __future__ import annotations

import io
import math
import wave
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from renfang.engine import EngineError

MAX_SECONDS = 30 * 60  # longer than any signal in the sources; longer is a typing mistake


@dataclass(frozen=True)
class Pattern:
    segments: tuple[tuple[float, float], ...]  # (seconds of sound, seconds of silence after it)
    repeats: int = 1

    def __post_init__(self) -> None:
        if not self.segments:
            raise EngineError("a signal needs at least one segment of sound")
        for n, segment in enumerate(self.segments, start=1):
            if len(segment) != 2:
                raise EngineError(f"segment {n} must be [seconds on, seconds off], not {list(segment)!r}")
            on, off = segment
            if not (isinstance(on, int | float) and math.isfinite(on) and on > 0):
                raise EngineError(f"segment {n}: the sound must last more than 0 s, not {on!r}")
            if not (isinstance(off, int | float) and math.isfinite(off) and off >= 0):
                raise EngineError(f"segment {n}: the silence cannot be negative, not {off!r}")
        if not isinstance(self.repeats, int) or self.repeats < 1:
            raise EngineError(f"a signal repeats at least once, not {self.repeats!r}")
        if self.duration_s > MAX_SECONDS:
            raise EngineError(f"the signal lasts {self.duration_s:.0f} s; at most {MAX_SECONDS} s is allowed")

    @classmethod
    def from_data(cls, segments: Sequence[Sequence[float]], repeats: int) -> Pattern:
        try:
            parts = tuple((float(a), float(b)) for a, b in segments)
        except (TypeError, ValueError) as exc:
            raise EngineError(f"segments must be pairs of numbers [on, off]: {exc}") from exc
        return cls(parts, int(repeats))

    @property
    def cycle_s(self) -> float:
        return float(sum(on + off for on, off in self.segments))

    @property
    def duration_s(self) -> float:
        """The whole signal, every cycle with its silence: the national signals are 3 minutes each (36 s on,
        24 s off ×3; 6 s on, 6 s off ×15), and the last silence belongs to the signal as much as the first."""
        return self.cycle_s * self.repeats

    @property
    def last_sound_end_s(self) -> float:
        """When the last sound stops (the signal's final silence follows it)."""
        return self.duration_s - self.segments[-1][1]

    @property
    def sounding_s(self) -> float:
        return float(sum(on for on, _ in self.segments)) * self.repeats

    def timeline(self) -> list[tuple[float, float]]:
        """(start, end) of every sound, in seconds from the start."""
        out: list[tuple[float, float]] = []
        t = 0.0
        for _ in range(self.repeats):
            for on, off in self.segments:
                out.append((t, t + on))
                t += on + off
        return out


def render_wav(pattern: Pattern, tone_hz: float = 500.0, rate: int = 8000, sweep: float = 0.08) -> bytes:
    """The signal as a mono 8-bit WAV: a tone rising and falling by ``sweep`` around ``tone_hz`` (the
    wail of a siren), with 20 ms ramps so each sound starts and stops without a click."""
    if not 50 <= tone_hz <= 4000:
        raise EngineError(f"the tone must be between 50 and 4,000 Hz, not {tone_hz}")
    total = pattern.duration_s
    n = int(round(total * rate))
    signal = np.zeros(n, dtype=np.float64)
    ramp = int(0.02 * rate)
    for start, end in pattern.timeline():
        a, b = int(round(start * rate)), min(n, int(round(end * rate)))
        t = np.arange(b - a) / rate
        freq = tone_hz * (1 + sweep * np.sin(2 * np.pi * 0.25 * t))  # one rise and fall every 4 s
        phase = 2 * np.pi * np.cumsum(freq) / rate
        tone = np.sin(phase)
        k = min(ramp, (b - a) // 2)
        if k:
            envelope = np.ones(b - a)
            envelope[:k] = np.linspace(0, 1, k)
            envelope[-k:] = np.linspace(1, 0, k)
            tone *= envelope
        signal[a:b] = tone
    samples = np.clip(np.rint(signal * 100 + 128), 0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return buffer.getvalue()
