from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renfang.settings")
application = get_wsgi_application()

# the first public nearest-shelter query after a start is as fast as the rest (works.public.warm_up)
from renfang.works.public import warm_up_in_background  # noqa: E402  (needs the app registry loaded)

warm_up_in_background()
