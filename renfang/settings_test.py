"""Test settings: the real settings plus what only tests need (fast hashing, jobs run inline)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("RENFANG_DEBUG", "true")
os.environ.setdefault("RENFANG_DATA_DIR", tempfile.mkdtemp(prefix="renfang-test-"))
# rate limits are off for the suite (hundreds of sign-ins a minute from one address); the tests of the
# limits themselves switch them on with override_settings
for _rate in ("RENFANG_RATE_SIGNIN", "RENFANG_RATE_API_ANON", "RENFANG_RATE_API_USER", "RENFANG_RATE_PUBLIC"):
    os.environ.setdefault(_rate, "off")

from renfang.settings import *  # noqa: E402,F403
from renfang.settings import HUEY  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
HUEY = {**HUEY, "immediate": True}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="renfang-media-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FINDER_WARM_UP = False  # tests build their own cities; a thread warming the finder would race them
