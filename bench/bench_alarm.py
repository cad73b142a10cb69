"""1,000 simulated siren terminals commanded through the MQTT broker; every acknowledgement collected.

    .venv/bin/python bench/bench_alarm.py                      # Mosquitto on 127.0.0.1:1883 (MQTT_URL)
    .venv/bin/python bench/bench_alarm.py --terminals 200

The control side signs one activation per terminal (HMAC-SHA256, nonce, timestamp; docs/siren-protocol.md)
and publishes them at QoS 1; the simulator (one process, one connection, all terminals) verifies each,
executes it and publishes a signed acknowledgement, which the control side verifies. Reported: time to
the first and to the last verified ack, from the first command sent. Goal: all acks within 2 s.
"""

from __future__ import annotations

import argparse
import os
import queue
import statistics
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import paho.mqtt.client as mqtt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import machine, save  # noqa: E402
from renfang.alarms.protocol import ReplayGuard, command, decode, encode, new_key, topic, verify  # noqa: E402
from renfang.alarms.simulator import Simulator, Terminal  # noqa: E402

SIGNAL = {"code": "air_raid", "segments": [[6, 6]], "repeats": 15}


def run(host: str, port: int, n: int) -> dict[str, float]:
    tag = uuid.uuid4().hex[:6]
    keys = {f"b{tag}-{i:04d}": bytes.fromhex(new_key()) for i in range(n)}
    # the broker's accounts, when it requires them (scripts/mosquitto_config.py prints them)
    service = (os.environ.get("RENFANG_MQTT_USERNAME", ""), os.environ.get("RENFANG_MQTT_PASSWORD", ""))
    sim = Simulator(
        host,
        port,
        [Terminal(t, k) for t, k in keys.items()],
        heartbeat_s=3600,
        username=os.environ.get("RENFANG_SIMULATOR_MQTT_USERNAME", ""),
        password=os.environ.get("RENFANG_SIMULATOR_MQTT_PASSWORD", ""),
    )
    sim.start()
    inbox: queue.Queue[tuple[float, bytes]] = queue.Queue()
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    if service[0]:
        client.username_pw_set(*service)
    client.on_message = lambda _c, _u, m: inbox.put((time.perf_counter(), m.payload))
    subscribed: queue.Queue[bool] = queue.Queue()
    client.on_subscribe = lambda *_a: subscribed.put(True)
    client.connect(host, port)
    client.loop_start()
    client.subscribe("renfang/sirens/+/ack", qos=1)
    subscribed.get(timeout=10)
    messages = {t: encode(command(t, "activate", k, uuid.uuid4().hex, signal=SIGNAL)) for t, k in keys.items()}
    start = time.perf_counter()
    for t, payload in messages.items():
        client.publish(topic(t, "cmd"), payload, qos=1)
    sent = time.perf_counter() - start
    guards = {t: ReplayGuard() for t in keys}
    times, accepted = [], 0
    deadline = time.monotonic() + 30
    while len(times) < n and time.monotonic() < deadline:
        try:
            at, payload = inbox.get(timeout=1)
        except queue.Empty:
            continue
        ack = decode(payload)
        if ack.get("terminal") not in keys:
            continue
        verify(ack, keys[ack["terminal"]], guards[ack["terminal"]])
        times.append(at - start)
        accepted += ack["result"] == "accepted"
    client.loop_stop()
    client.disconnect()
    sim.stop()
    return {
        "terminals": n,
        "acks": len(times),
        "accepted": accepted,
        "publish_s": sent,
        "first_ack_s": min(times) if times else float("nan"),
        "last_ack_s": max(times) if times else float("nan"),
        "median_ack_s": statistics.median(times) if times else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--terminals", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    url = urlparse(os.environ.get("MQTT_URL", "mqtt://127.0.0.1:1883"))
    host, port = url.hostname or "127.0.0.1", url.port or 1883
    runs = [run(host, port, args.terminals) for _ in range(args.repeats)]
    best = sorted(runs, key=lambda r: r["last_ack_s"])[len(runs) // 2]  # the median run
    for r in runs:
        print(f"{r['acks']:,}/{r['terminals']:,} verified acks ({r['accepted']:,} accepted): "
              f"first {r['first_ack_s'] * 1000:.0f} ms, "
              f"median {r['median_ack_s'] * 1000:.0f} ms, last {r['last_ack_s'] * 1000:.0f} ms "
              f"(publishing took {r['publish_s'] * 1000:.0f} ms)", flush=True)  # fmt: skip
    print(f"saved {save('alarm', {'machine': machine(), 'broker': f'{host}:{port}', 'runs': runs, 'median': best})}")


if __name__ == "__main__":
    main()
