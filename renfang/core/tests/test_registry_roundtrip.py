"""Round trips generated from the registry declarations: every registry, no test code of its own.

For each registry, on a row of the demo city: its edit form opens with every stored value selected and, saved
unchanged, changes nothing and writes no change-log entry; its export imported back changes nothing; its API
record written back unchanged changes nothing. A registry added to ``REGISTRIES`` is covered by being
declared. Failures are collected over all registries so one run names every broken one.
"""

from __future__ import annotations

import io
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.forms.models import model_to_dict

from renfang.core.models import ObjectChange
from renfang.core.tests.fixtures import build_small_demo, client_for


class FormValues(HTMLParser):
    """What a browser would submit from the page's main form: inputs, checked boxes, selected options."""

    def __init__(self) -> None:
        super().__init__()
        self.values: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []
        self._in_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post" and "enctype" in a:
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.values.append((name, a.get("value", "on")))
            elif kind not in ("file", "submit", "button"):
                self.values.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select is not None and "selected" in a:
            self.values.append((self._select, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self.values.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "form":
            self._in_form = False

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)


def _state(obj: models.Model) -> dict[str, Any]:
    obj.refresh_from_db()
    values = model_to_dict(obj)
    for field in obj._meta.many_to_many:
        values[field.name] = sorted(r.pk for r in getattr(obj, field.name).all())
    for field in obj._meta.concrete_fields:
        if isinstance(field, models.FileField):
            values[field.name] = str(getattr(obj, field.name))
    return values


def _rows() -> list[tuple[Any, models.Model | None]]:
    """Each registry with a row that may be edited (rows a workflow has locked, such as an approved plan
    version, are checked by test_locked_rows_offer_no_edit_and_say_why)."""
    from renfang.core.registry import REGISTRIES

    found = []
    for reg in REGISTRIES.values():
        rows = reg.model._default_manager.order_by("-pk")[:50]
        found.append((reg, next((r for r in rows if not reg.locked_reason(r)), None)))
    return found


@pytest.fixture
def demo(db: Any) -> Any:
    from renfang.core.models import User

    build_small_demo()

    return client_for(User.objects.get(username="admin"))


def _changes() -> int:
    return ObjectChange.objects.count()


def test_every_edit_form_opens_with_its_values_and_saves_unchanged(demo: Any) -> None:
    problems, checked = [], 0
    for reg, row in _rows():
        if row is None:
            problems.append(f"{reg.label}: the demo city has no row to edit")
            continue
        edit_url = f"{row.get_absolute_url()}edit/"
        page = demo.get(edit_url)
        if page.status_code != 200:
            problems.append(f"{reg.label}: {edit_url} answered {page.status_code}")
            continue
        parser = FormValues()
        parser.feed(page.content.decode())
        submitted = dict(parser.values)
        form = reg.form(instance=row, user=None)
        for name, field in form.fields.items():
            stored = getattr(row, name, None)
            if (
                hasattr(field, "queryset")
                and stored is not None
                and not hasattr(stored, "all")
                and not submitted.get(name)
            ):
                problems.append(f"{reg.label} #{row.pk}: the edit form opens with {name} unselected (stored: {stored})")
        before, logged = _state(row), _changes()
        data: dict[str, list[str]] = {}
        for name, value in parser.values:
            data.setdefault(name, []).append(value)
        saved = demo.post(edit_url, data)
        if saved.status_code != 302:
            errors = (
                saved.context["form"].errors.as_json()
                if saved.context and "form" in saved.context
                else saved.status_code
            )
            problems.append(f"{reg.label} #{row.pk}: saving the unchanged form failed: {errors}")
            continue
        after = _state(row)
        changed = {k: (before[k], after[k]) for k in before if before[k] != after.get(k)}
        if changed:
            problems.append(f"{reg.label} #{row.pk}: saving unchanged changed {changed}")
        if _changes() != logged:
            problems.append(f"{reg.label} #{row.pk}: saving unchanged wrote a change-log entry")
        checked += 1
    assert not problems, "\n".join(problems)
    assert checked >= 30


def test_every_export_imports_back_unchanged(demo: Any) -> None:
    from renfang.core import exporter
    from renfang.core.models import Job
    from renfang.core.tabular import write_csv

    problems, checked = [], 0
    for reg, row in _rows():
        if not reg.allow_import or row is None:
            continue
        queryset = reg.model._default_manager.filter(pk=row.pk)
        content = "".join(write_csv(exporter.header(reg), exporter.rows(reg, queryset))).encode("utf-8")
        before, logged = _state(row), _changes()
        upload = SimpleUploadedFile(f"{reg.model_name}.csv", io.BytesIO(content).read())
        answer = demo.post(reg.import_url, {"file": upload, "coordinate_system": "wgs84"})
        if answer.status_code != 302:
            problems.append(f"{reg.label}: the import page refused its own export ({answer.status_code})")
            continue
        job = Job.objects.get(pk=int(answer["Location"].rstrip("/").split("/")[-1]))
        if job.status != "succeeded":
            problems.append(f"{reg.label}: importing its own export failed: {job.result}")
            continue
        after = _state(row)
        changed = {k: (before[k], after[k]) for k in before if before[k] != after.get(k)}
        if changed:
            problems.append(f"{reg.label} #{row.pk}: importing its export changed {changed}")
        if _changes() != logged:
            problems.append(f"{reg.label} #{row.pk}: importing its export unchanged wrote a change-log entry")
        checked += 1
    assert not problems, "\n".join(problems)
    assert checked >= 25


def test_every_api_record_writes_back_unchanged(demo: Any) -> None:
    problems, checked = [], 0
    for reg, row in _rows():
        if row is None:
            continue
        url = f"/api/v1/{reg.slug}/{row.pk}/"
        got = demo.get(url)
        if got.status_code != 200:
            problems.append(f"{reg.label}: GET {url} answered {got.status_code}")
            continue
        before, logged = _state(row), _changes()
        put = demo.put(url, got.json(), content_type="application/json")
        if put.status_code == 405:
            continue  # read-only through the API (road networks are built by import jobs)
        if put.status_code != 200:
            problems.append(f"{reg.label}: PUT of its own record answered {put.status_code}: {put.content[:300]!r}")
            continue
        after = _state(row)
        changed = {k: (before[k], after[k]) for k in before if before[k] != after.get(k)}
        if changed:
            problems.append(f"{reg.label} #{row.pk}: writing back unchanged changed {changed}")
        if _changes() != logged:
            problems.append(f"{reg.label} #{row.pk}: writing back unchanged wrote a change-log entry")
        checked += 1
    assert not problems, "\n".join(problems)
    assert checked >= 25


def test_locked_rows_offer_no_edit_and_say_why(demo: Any) -> None:
    from renfang.core.registry import REGISTRIES

    locked = [(reg, row) for reg in REGISTRIES.values() for row in reg.model._default_manager.all()[:200]
              if reg.locked_reason(row)]  # fmt: skip
    assert locked, "the demo city has no approved plan version"
    for reg, row in locked[:10]:
        detail = demo.get(row.get_absolute_url()).content.decode()
        assert f'href="{row.get_absolute_url()}edit/"' not in detail
        assert reg.locked_reason(row).split("；")[0][:10] in detail
        for action in ("edit", "delete"):
            answer = demo.get(f"{row.get_absolute_url()}{action}/")
            assert answer.status_code == 302 and answer["Location"] == row.get_absolute_url()
            before = _state(row)
            demo.post(f"{row.get_absolute_url()}{action}/", {})
            assert _state(row) == before


def test_every_delete_removes_the_row_or_says_what_still_refers_to_it(demo: Any) -> None:
    """Deleting a row through its page either removes it (and logs it) or, when other records still refer to
    it, keeps it and names them; never a server error, never half a delete."""
    from django.contrib.messages import get_messages

    problems, deleted, kept = [], 0, 0
    for reg, _first in _rows():
        # chosen now: an earlier delete may have taken this registry's rows with it (a work's parts cascade)
        row = next((r for r in reg.model._default_manager.order_by("-pk")[:50] if not reg.locked_reason(r)), None)
        if row is None:
            continue
        url = f"{row.get_absolute_url()}delete/"
        if demo.get(url).status_code != 200:
            problems.append(f"{reg.label}: the delete page did not open")
            continue
        logged = ObjectChange.objects.filter(action="delete").count()
        answer = demo.post(url)
        exists = reg.model._default_manager.filter(pk=row.pk).exists()
        if answer.status_code != 302:
            problems.append(f"{reg.label} #{row.pk}: deleting answered {answer.status_code}")
        elif exists:
            said = " ".join(str(m) for m in get_messages(answer.wsgi_request))
            if not said:
                problems.append(f"{reg.label} #{row.pk}: kept without saying why")
            kept += 1
        else:
            if ObjectChange.objects.filter(action="delete").count() <= logged:
                problems.append(f"{reg.label} #{row.pk}: deleted without a change-log entry")
            deleted += 1
    assert not problems, "\n".join(problems)
    assert deleted >= 10 and deleted + kept >= 30
