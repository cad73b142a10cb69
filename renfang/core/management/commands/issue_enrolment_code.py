"""Issue the one-time enrolment code an operator needs to enrol an authenticator (the first administrator of a
new installation; afterwards the approving administrator receives it in the application)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from renfang.core.models import User
from renfang.core.services import issue_enrolment_code


class Command(BaseCommand):
    help = "Print a one-time enrolment code for USERNAME (needed to enrol an authenticator for an operator)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"there is no user {options['username']!r}")
        if user.totpdevice_set.filter(confirmed=True).exists():
            raise CommandError(f"{user.username} already has an authenticator; reset it in the application first")
        self.stdout.write(issue_enrolment_code(user=user))
