from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter(name="zip")
def zip_lists(a: list[Any], b: list[Any]) -> list[tuple[Any, Any]]:
    return list(zip(a, b, strict=False))


@register.filter
def type_label(content_type: Any) -> str:
    """The verbose name of a content type's model, in the current language."""
    model = content_type.model_class()
    return str(model._meta.verbose_name) if model is not None else content_type.model


@register.filter
def readable_diff(change: Any) -> list[tuple[str, str, str]]:
    """A change record's fields by label and values as the pages show them (core.history)."""
    from renfang.core.history import readable_diff as describe

    return describe(change)


@register.inclusion_tag("_basemap.html")
def basemap() -> dict[str, Any]:
    """The shared map backdrop's configuration and script, for every page that draws a map (core.basemap)."""
    from renfang.core import basemap as backdrop
    from renfang.core.views.pages import tile_config

    return {"basemap_config": backdrop.config(tile_config())}
