"""Filter labels follow each page's language, whatever read them first."""

from __future__ import annotations

from typing import Any


def test_the_api_schema_does_not_fix_the_list_filters_in_english(clients: Any, city: Any) -> None:
    """Generating the OpenAPI schema reads every filter's label; django-filter then kept that text, and every
    list page showed "Work type", "Construction form"… in English (found by the role crawl after Schemathesis)."""
    from drf_spectacular.generators import SchemaGenerator

    SchemaGenerator().get_schema(request=None, public=True)
    page = clients["admin"].get("/works/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    filters = page[page.index('id="filters"'):page.index("</form>", page.index('id="filters"'))]
    assert "Work type" not in filters and "Construction form" not in filters
    assert "工程类型" in filters
