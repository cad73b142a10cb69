"""Accounts and topic rights of the embedded MQTT broker (amqtt) the demo runs; production runs Mosquitto
with a password file and an ACL of the same shape (docs/deployment.md).

Only two accounts exist: the alarm service (sends commands, reads acks and status) and the simulated
terminals (read commands, send acks and status). Anonymous clients are refused, so nobody on the network
can even listen; terminal messages are signed besides (docs/siren-protocol.md).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from typing import Any

from amqtt.plugins.base import BaseAuthPlugin
from amqtt.session import Session

from renfang.alarms.protocol import TOPIC_ROOT


class AccountsAuthPlugin(BaseAuthPlugin):
    """Username and password, compared in constant time; anything else is refused."""

    async def authenticate(self, *, session: Session) -> bool | None:
        accounts: dict[str, str] = self._get_config_option("accounts", {}) or {}
        if not session or not session.username:
            return False
        expected = accounts.get(session.username)
        return expected is not None and hmac.compare_digest(expected.encode(), (session.password or "").encode())

    @dataclass
    class Config:
        accounts: dict[str, str] = field(default_factory=dict)


def broker_config(bind: str, service: tuple[str, str], simulator: tuple[str, str]) -> dict[str, Any]:
    """The embedded broker's configuration: the two accounts and what each may read and write."""
    terminals = f"{TOPIC_ROOT}/+"
    return {
        "listeners": {"default": {"type": "tcp", "bind": bind}},
        "plugins": {
            "renfang.alarms.broker_auth.AccountsAuthPlugin": {"accounts": dict([service, simulator])},
            "amqtt.plugins.topic_checking.TopicAccessControlListPlugin": {
                "acl": {  # what each account may subscribe to (amqtt 0.12 calls it "acl")
                    service[0]: [f"{terminals}/ack", f"{terminals}/status"],
                    simulator[0]: [f"{terminals}/cmd"],
                },
                "publish_acl": {
                    service[0]: [f"{terminals}/cmd"],
                    simulator[0]: [f"{terminals}/ack", f"{terminals}/status"],
                },
            },
        },
    }
