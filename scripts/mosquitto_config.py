#!/usr/bin/env python3
"""Write a Mosquitto configuration that refuses anonymous clients and gives each account only its topics.

    scripts/mosquitto_config.py DIR PORT [TERMINAL_ID ...]

writes DIR/passwd (through mosquitto_passwd), DIR/acl and DIR/mosquitto.conf, and prints the environment
variables that give the alarm service and the simulated terminals their accounts (random passwords). Each
TERMINAL_ID gets an account of its own named after it, which reads only its command topic and writes
only its ack and status topics (the ``pattern … %u`` lines): the shape of a production ACL
(docs/deployment.md). scripts/test.sh runs the whole suite against such a broker.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = "renfang/sirens"

ACL = f"""# the alarm service: sends commands, reads what terminals answer
user renfang-service
topic write {ROOT}/+/cmd
topic read {ROOT}/+/ack
topic read {ROOT}/+/status

# the simulated terminals of the demo and the tests: one connection for all of them
user renfang-simulator
topic read {ROOT}/+/cmd
topic write {ROOT}/+/ack
topic write {ROOT}/+/status

# every real terminal: its own account named after its id, its own topics only
pattern read {ROOT}/%u/cmd
pattern write {ROOT}/%u/ack
pattern write {ROOT}/%u/status
"""


def write(folder: Path, port: int, terminals: list[str]) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    accounts = {"renfang-service": secrets.token_urlsafe(18), "renfang-simulator": secrets.token_urlsafe(18)}
    accounts |= {t: secrets.token_urlsafe(18) for t in terminals}
    passwd = folder / "passwd"
    passwd.unlink(missing_ok=True)
    passwd.touch(mode=0o600)
    for name, password in accounts.items():
        subprocess.run(["mosquitto_passwd", "-b", str(passwd), name, password], check=True, capture_output=True)
    (folder / "acl").write_text(ACL, encoding="utf-8")
    # started by root (CI), Mosquitto would switch to its own user, which cannot read a private temporary
    # folder: a broker for tests stays the user that started it (a production broker runs as mosquitto)
    user = "user root\n" if os.geteuid() == 0 else ""
    (folder / "mosquitto.conf").write_text(
        f"listener {port} 127.0.0.1\nallow_anonymous false\npassword_file {passwd}\nacl_file {folder / 'acl'}\n"
        f"log_dest none\npersistence false\n{user}",
        encoding="utf-8",
    )
    env = {
        "MQTT_URL": f"mqtt://127.0.0.1:{port}",
        "RENFANG_MQTT_USERNAME": "renfang-service",
        "RENFANG_MQTT_PASSWORD": accounts["renfang-service"],
        "RENFANG_SIMULATOR_MQTT_USERNAME": "renfang-simulator",
        "RENFANG_SIMULATOR_MQTT_PASSWORD": accounts["renfang-simulator"],
    }
    for n, terminal in enumerate(terminals):
        env[f"RENFANG_TEST_TERMINAL_{n}"] = f"{terminal}:{accounts[terminal]}"
    return env


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    for key, value in write(Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]).items():
        print(f"export {key}={value}")
