"""Round trips generated from the registry declarations: every registry, no test code of its own.

For each registry, on a row of the demo city: its edit form opens with every stored value selected and, saved
unchanged, changes nothing and writes no change-log entry; its add form creates a copy (identifiers made new);
each field edited alone changes that field only and is logged under its name; its export imported back changes
nothing; its API record written back unchanged changes nothing; a delete removes it or says why not. A
registry added to ``REGISTRIES`` is covered by being declared. Failures are collected over all registries so
one run names every broken one.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.forms import FileField, PasswordInput
from django.forms.models import model_to_dict

from renfang.core.models import ObjectChange
from renfang.core.tests.fixtures import build_small_demo, client_for

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


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
        if reg.append_only:
            continue  # never edited: test_append_only_registries_refuse_every_change
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


def test_append_only_registries_refuse_every_change(demo: Any) -> None:
    """Rows their workflow writes (rule versions, assessments, applications, draws…): no add, edit, delete or import
    on the pages, a read-only API, and nothing changes whatever is posted."""
    from renfang.core.registry import REGISTRIES

    problems, checked = [], 0
    for reg in REGISTRIES.values():
        if not reg.append_only:
            continue
        row = reg.model._default_manager.order_by("-pk").first()
        if row is None:
            problems.append(f"{reg.label}: the demo city has no row")
            continue
        before = _state(row)
        detail = demo.get(row.get_absolute_url()).content.decode()
        if f'href="{row.get_absolute_url()}edit/"' in detail or f'href="{row.get_absolute_url()}delete/"' in detail:
            problems.append(f"{reg.label}: the page offers edit or delete")
        for action in ("edit", "delete"):
            demo.post(f"{row.get_absolute_url()}{action}/", {})
        if demo.get(reg.add_url).status_code not in (403, 404, 302):
            problems.append(f"{reg.label}: the add page opens")
        if demo.get(reg.import_url).status_code not in (403, 404, 302):
            problems.append(f"{reg.label}: the import page opens")
        url = f"/api/v1/{reg.slug}/{row.pk}/"
        for method in ("put", "patch", "delete"):
            answer = getattr(demo, method)(url, {}, content_type="application/json")
            if answer.status_code != 405:
                problems.append(f"{reg.label}: {method.upper()} {url} answered {answer.status_code}")
        if demo.post(f"/api/v1/{reg.slug}/", {}, content_type="application/json").status_code != 405:
            problems.append(f"{reg.label}: POST to the API is not refused")
        if _state(row) != before:
            problems.append(f"{reg.label} #{row.pk} changed")
        checked += 1
    assert not problems, "\n".join(problems)
    assert checked >= 5


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


def _form_values(client: Any, url: str) -> dict[str, list[str]] | None:
    """The values a browser would submit from the form at ``url`` (None when the page does not open)."""
    page = client.get(url)
    if page.status_code != 200:
        return None
    parser = FormValues()
    parser.feed(page.content.decode())
    values: dict[str, list[str]] = {}
    for name, value in parser.values:
        values.setdefault(name, []).append(value)
    return values


def _unique_names(model: type[models.Model]) -> set[str]:
    names = {f.name for f in model._meta.fields if f.unique and not f.primary_key}
    for fields in [*model._meta.unique_together, *(getattr(c, "fields", ()) for c in model._meta.constraints)]:
        names.update(fields)
    return names


def _variants(name: str, value: str) -> list[str]:
    """Other values of the same shape for a unique field: the same length of digits, or the text extended."""
    if name == "uscc":
        from renfang.core.tests.fixtures import make_uscc

        return [make_uscc(900 + i) for i in range(3)]
    if re.fullmatch(r"\d{4}[-/]\d{2}[-/]\d{2}", value):  # a unique date (a calendar day): the same day later
        return [f"{2090 + k}{value[4:]}" for k in (1, 2, 3, 7, 11)]
    if value.isdigit():
        width = len(value)
        return [str(int(value) + k).zfill(width)[-width:] for k in (1, 2, 3, 7, 11)]
    return [f"{value}9", f"{value}-二", f"{value}X"]


def _errors(answer: Any) -> str:
    form = answer.context.get("form") if answer.context else None
    return form.errors.as_text() if form is not None else str(answer.status_code)


def test_every_registry_creates_a_record_through_its_add_form(demo: Any) -> None:
    """The add form, filled as a person would from an existing record with its identifiers made new, creates
    exactly that record and logs it; a unique link (one task per defect) is tried with the other choices."""
    problems, created = [], 0
    for reg, row in _rows():
        if not reg.allow_add or row is None:
            continue
        source = _form_values(demo, f"{row.get_absolute_url()}edit/")
        choices = _form_values(demo, reg.add_url)
        if source is None or choices is None:
            problems.append(f"{reg.label}: the add or edit form did not open")
            continue
        form_fields = set(reg.form(user=None).fields)
        unique = _unique_names(reg.model) & form_fields & set(source)
        attempts = []
        for k in range(5):
            data = {n: list(v) for n, v in source.items()}
            for name in unique:
                options = _select_options(demo, reg.add_url, name)
                if options:  # a choice or a link: another option
                    others = [o for o in options if o not in source[name]]
                    if len(others) > k:
                        data[name] = [others[k]]
                elif source[name] and source[name][0]:
                    data[name] = [_variants(name, source[name][0])[k % 3]]
            attempts.append(data)
        before, logged = reg.model._default_manager.count(), ObjectChange.objects.filter(action="create").count()
        answer = None
        blank = reg.form(user=None)
        for data in attempts:
            # what a person types anew because no form shows it back: a secret, a file
            for name, field in blank.fields.items():
                if field.required and not any(data.get(name, [])):
                    if isinstance(field.widget, PasswordInput):
                        data[name] = ["a-new-shared-secret-of-32-characters"]
                    elif isinstance(field, FileField):
                        data[name] = [SimpleUploadedFile("说明.pdf", PDF, content_type="application/pdf")]
            answer = demo.post(reg.add_url, data)
            if answer.status_code == 302:
                break
        if answer is None or answer.status_code != 302:
            problems.append(f"{reg.label}: the add form refused a copy of #{row.pk}: {_errors(answer)}")
            continue
        if reg.model._default_manager.count() != before + 1:
            problems.append(f"{reg.label}: the add form answered 302 but made no new row")
            continue
        new = reg.model._default_manager.order_by("-pk").first()
        if ObjectChange.objects.filter(action="create").count() <= logged:
            problems.append(f"{reg.label}: #{new.pk} was created without a change-log entry")
        shown = _form_values(demo, f"{new.get_absolute_url()}edit/") or {}
        typed = {n for n, f in blank.fields.items() if isinstance(f, FileField) or isinstance(f.widget, PasswordInput)}
        differs = [n for n in form_fields - unique - typed if shown.get(n, []) != data.get(n, [])]
        if differs:
            problems.append(f"{reg.label} #{new.pk}: created with other values than submitted in {differs}")
        created += 1
    assert not problems, "\n".join(problems)
    assert created >= 25


_OPTION_CACHE: dict[tuple[str, str], list[str]] = {}


def _select_options(client: Any, url: str, name: str) -> list[str]:
    """The non-empty options of the select ``name`` on the page at ``url`` (empty for other inputs)."""
    key = (url, name)
    if key not in _OPTION_CACHE:

        class Options(HTMLParser):
            def __init__(self) -> None:
                super().__init__()
                self.inside, self.found = False, []

            def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
                a = dict(attrs)
                if tag == "select":
                    self.inside = a.get("name") == name
                elif tag == "option" and self.inside and a.get("value"):
                    self.found.append(a["value"] or "")

            def handle_endtag(self, tag: str) -> None:
                if tag == "select":
                    self.inside = False

        parser = Options()
        parser.feed(client.get(url).content.decode())
        _OPTION_CACHE[key] = parser.found
    return _OPTION_CACHE[key]


def test_every_field_of_every_registry_edits_alone(demo: Any) -> None:
    """Each field of an edit form, given another record's value for it (the form's own encoding), saves
    with that field changed and logged and the others as they were — or is refused with a message on the
    page (a value that does not fit the rest of the record); never a server error."""
    from django.core.exceptions import FieldDoesNotExist
    from django.utils.text import capfirst

    from renfang.core.history import readable_diff

    problems, saved, refused = [], 0, 0
    _OPTION_CACHE.clear()
    for reg, row in _rows():
        if row is None:
            continue
        edit_url = f"{row.get_absolute_url()}edit/"
        others = [r for r in reg.model._default_manager.exclude(pk=row.pk).order_by("pk")[:3]
                  if not reg.locked_reason(r)]  # fmt: skip
        other_values = [v for r in others if (v := _form_values(demo, f"{r.get_absolute_url()}edit/"))]
        unique = _unique_names(reg.model)
        current = _form_values(demo, edit_url)  # the form as it opens; after each save, as it reopens
        if current is None:
            problems.append(f"{reg.label} #{row.pk}: the edit form did not open")
            continue
        for name in reg.form(instance=row, user=None).fields:
            if name in unique:
                candidates = [[v] for v in _variants(name, current[name][0])] if current.get(name, [""])[0] else []
            else:
                candidates = [o.get(name, []) for o in other_values if o.get(name, []) != current.get(name, [])]
            if not candidates:
                continue  # every record has the same value here (or it is a file): nothing to change it to
            logged = ObjectChange.objects.filter(object_id=str(row.pk), content_type__model=reg.model_name).count()
            answer = demo.post(edit_url, {**current, name: candidates[0]})
            if answer.status_code >= 500:
                problems.append(f"{reg.label} #{row.pk}: changing {name} answered {answer.status_code}")
                continue
            if answer.status_code != 302:
                if not _errors(answer).strip():
                    problems.append(f"{reg.label} #{row.pk}: changing {name} was refused without a message")
                refused += 1
                continue
            after = _form_values(demo, edit_url) or {}
            moved = sorted(n for n in set(after) | set(current) if n not in (name, "csrfmiddlewaretoken")
                           and not n.startswith("initial-") and after.get(n, []) != current.get(n, []))  # fmt: skip
            if after.get(name, []) != candidates[0]:
                problems.append(f"{reg.label} #{row.pk}: {name} saved as {after.get(name)}, not {candidates[0]}")
            elif moved:
                problems.append(f"{reg.label} #{row.pk}: changing {name} also changed {moved}")
            entries = ObjectChange.objects.filter(object_id=str(row.pk), content_type__model=reg.model_name)
            if entries.count() <= logged:
                problems.append(f"{reg.label} #{row.pk}: changing {name} wrote no change-log entry")
            else:
                try:
                    label = capfirst(str(reg.model._meta.get_field(name).verbose_name))
                except FieldDoesNotExist:
                    label = ""  # a form field that fills several model fields (a point on the map)
                labels = [r[0] for r in readable_diff(entries.order_by("-pk").first())]
                if label and label not in labels:
                    problems.append(f"{reg.label} #{row.pk}: the change log of {name} reads {labels}")
            current = after
            saved += 1
    assert not problems, "\n".join(problems)
    assert saved >= 150 and saved >= 3 * refused, (saved, refused)


def test_every_api_creates_a_copy_and_patches_a_field(demo: Any) -> None:
    """Through the API: a record's own JSON with its identifiers made new is created as a new row (201) with
    those values; a PATCH of one of its text fields changes that field only. Refusals are 400s naming the field;
    never a server error."""
    problems, created, patched_fields = [], 0, 0
    for reg, row in _rows():
        if row is None or not reg.allow_add:
            continue
        url = f"/api/v1/{reg.slug}/"
        got = demo.get(f"{url}{row.pk}/")
        if got.status_code != 200:
            continue
        record = got.json()
        body = {k: v for k, v in record.items() if k not in ("id", "url", "created", "updated")}
        unique = _unique_names(reg.model) & set(body)
        answer = None
        for k in range(3):
            for name in unique:
                if isinstance(record[name], str) and record[name]:
                    body[name] = _variants(name, record[name])[k]
            answer = demo.post(url, body, content_type="application/json")
            if answer.status_code != 400:
                break
        if answer is None or answer.status_code == 405:
            continue  # built by jobs, not written through the API (road networks)
        if answer.status_code >= 500:
            problems.append(f"{reg.label}: POST of a copy answered {answer.status_code}")
            continue
        if answer.status_code != 201:
            said = answer.json() if answer.headers.get("Content-Type", "").startswith("application/json") else {}
            if answer.status_code != 400 or not said:
                problems.append(f"{reg.label}: POST of a copy answered {answer.status_code} {answer.content[:200]!r}")
            elif not set(said) & (unique | {"detail", "non_field_errors"}) and not any(
                isinstance(record.get(n), (str, type(None))) for n in said
            ):
                problems.append(f"{reg.label}: POST of a copy was refused without naming a field: {said}")
            continue
        new = answer.json()
        writable = {n for n, f in reg.serializer().fields.items() if not f.read_only and not f.write_only}
        same = {k for k in body if k in writable - unique and new.get(k) != body[k]}
        if same - {"file", "photo"}:
            problems.append(f"{reg.label}: the created copy differs in {sorted(same)}")
        created += 1
        from rest_framework.serializers import CharField

        texts = [n for n, f in reg.serializer().fields.items() if n in writable - unique and type(f) is CharField
                 and isinstance(new.get(n), str)]  # fmt: skip
        for name in texts[:3]:
            value = (new[name] or "说明")[:20] + "（改）"
            patched = demo.patch(f"{url}{new['id']}/", {name: value}, content_type="application/json")
            if patched.status_code >= 500 or (patched.status_code != 200 and not patched.json()):
                problems.append(f"{reg.label}: PATCH {name} answered {patched.status_code}")
                continue
            if patched.status_code == 200:
                after = demo.get(f"{url}{new['id']}/").json()
                moved = [k for k in writable if k != name and after.get(k) != new.get(k)]
                if after[name] != value or moved:
                    problems.append(f"{reg.label}: PATCH {name} gave {after[name]!r}, also changed {moved}")
                new = after
                patched_fields += 1
    assert not problems, "\n".join(problems)
    assert created >= 20 and patched_fields >= 30, (created, patched_fields)
