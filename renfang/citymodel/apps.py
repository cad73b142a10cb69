from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CityModelConfig(AppConfig):
    name = "renfang.citymodel"
    label = "citymodel"
    verbose_name = _("City model")

    def ready(self) -> None:
        from renfang.citymodel import jobs, registries  # noqa: F401  (registers registries and jobs)
