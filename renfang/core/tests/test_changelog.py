"""Every create, update and delete records who, when, before and after; pages show and filter it."""

from __future__ import annotations

from typing import Any

from renfang.core.models import ObjectChange, Organisation
from renfang.core.tests.fixtures import make_uscc


def _org_data(city: Any, **overrides: Any) -> dict[str, Any]:
    return {"name": "东川物业", "uscc": make_uscc(31), "region": city.a.code, "is_maintainer": "on", **overrides}


def test_creating_through_the_page_records_the_user_and_the_values(clients: Any, city: Any) -> None:
    response = clients["district_a"].post("/organisations/add/", _org_data(city))
    assert response.status_code == 302
    org = Organisation.objects.get(name="东川物业")
    change = ObjectChange.objects.get(action="create", object_id=str(org.pk), content_type__model="organisation")
    assert change.user.username == "district_a"
    assert change.prechange_data is None
    assert change.postchange_data["uscc"] == org.uscc
    assert change.region_id == city.a.pk


def test_updating_records_before_and_after(clients: Any, city: Any) -> None:
    clients["district_a"].post("/organisations/add/", _org_data(city))
    org = Organisation.objects.get(name="东川物业")
    clients["district_a"].post(
        f"/organisations/{org.pk}/edit/", _org_data(city, name="东川物业公司", phone="0635-1234567")
    )
    change = ObjectChange.objects.get(action="update", object_id=str(org.pk))
    diff = {field: (before, after) for field, before, after in change.diff()}
    assert diff["name"] == ("东川物业", "东川物业公司")
    assert diff["phone"] == ("", "0635-1234567")


def test_saving_without_changes_records_nothing(clients: Any, city: Any) -> None:
    clients["district_a"].post("/organisations/add/", _org_data(city))
    org = Organisation.objects.get(name="东川物业")
    clients["district_a"].post(f"/organisations/{org.pk}/edit/", _org_data(city))
    assert not ObjectChange.objects.filter(action="update", object_id=str(org.pk)).exists()


def test_deleting_keeps_the_last_values(clients: Any, city: Any) -> None:
    org = Organisation.objects.create(name="临时公司", uscc=make_uscc(41), region=city.a)
    response = clients["district_a"].post(f"/organisations/{org.pk}/delete/")
    assert response.status_code == 302
    change = ObjectChange.objects.get(action="delete", object_id=str(org.pk))
    assert change.prechange_data["name"] == "临时公司"
    assert change.postchange_data is None
    assert change.user.username == "district_a"


def test_api_changes_are_attributed_to_the_token_user(users: Any, city: Any) -> None:
    from renfang.core.tests.fixtures import token_client

    client = token_client(users["district_a"])
    response = client.post(
        "/api/v1/organisations/", {"name": "API公司", "uscc": make_uscc(51), "region": "379902"}, format="json"
    )
    assert response.status_code == 201, response.content
    change = ObjectChange.objects.get(
        action="create", object_id=str(response.json()["id"]), content_type__model="organisation"
    )
    assert change.user_name == "district_a"


def test_the_object_page_shows_its_history(clients: Any, city: Any) -> None:
    clients["district_a"].post("/organisations/add/", _org_data(city))
    org = Organisation.objects.get(name="东川物业")
    clients["district_a"].post(f"/organisations/{org.pk}/edit/", _org_data(city, phone="0635-7654321"))
    page = clients["district_a"].get(org.get_absolute_url()).content.decode()
    assert 'id="history"' in page
    assert "0635-7654321" in page
    assert "district_a" in page


def test_the_change_log_filters_by_user_type_action_and_region(clients: Any, city: Any) -> None:
    clients["district_a"].post("/organisations/add/", _org_data(city))
    clients["district_b"].post(
        "/organisations/add/", _org_data(city, name="临河公司", uscc=make_uscc(61, "379903"), region=city.b.code)
    )
    admin = clients["admin"]
    by_user = admin.get("/changes/?user=district_b").content.decode()
    assert "临河公司" in by_user and "东川物业" not in by_user
    by_region = admin.get("/changes/?region=379902").content.decode()
    assert "东川物业" in by_region and "临河公司" not in by_region
    by_action = admin.get("/changes/?action=delete").content.decode()
    assert "东川物业" not in by_action
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get(model="organisation")
    assert "东川物业" in admin.get(f"/changes/?type={ct.pk}").content.decode()


def test_a_district_user_sees_only_their_districts_changes(clients: Any, city: Any) -> None:
    clients["district_b"].post(
        "/organisations/add/", _org_data(city, name="临河公司", uscc=make_uscc(61, "379903"), region=city.b.code)
    )
    page = clients["district_a"].get("/changes/").content.decode()
    assert "临河公司" not in page
    change = ObjectChange.objects.get(object_repr="临河公司")
    assert clients["district_a"].get(f"/changes/{change.pk}/").status_code == 404
    assert clients["district_b"].get(f"/changes/{change.pk}/").status_code == 200


def test_passwords_never_reach_the_change_log(users: Any) -> None:
    user = users["leadership"]
    user.set_password("another secret value")
    user.save()
    change = ObjectChange.objects.filter(content_type__model="user", object_id=str(user.pk), action="update").first()
    assert change is not None
    assert change.postchange_data["password"].startswith("********")
    assert change.prechange_data["password"] != change.postchange_data["password"]
    assert "another secret" not in str(change.prechange_data) + str(change.postchange_data)


def test_histories_read_as_words_not_field_names_and_raw_values(clients: Any, city: Any) -> None:
    from renfang.works.tests.factories import make_work

    work = make_work(city.street_a, code="W1", name="一号工程")
    data = clients["admin"].get(f"{work.get_absolute_url()}edit/")
    assert data.status_code == 200
    from renfang.core.changelog import change_actor
    from renfang.core.models import User

    with change_actor(User.objects.get(username="admin")):
        work.region = city.street_b if hasattr(city, "street_b") else work.region
        work.open_to_public = not work.open_to_public
        work.save()
    page = clients["admin"].get(work.get_absolute_url()).content.decode()
    history = page[page.index("history-diff"):]
    assert "region" not in history and "open_to_public" not in history
    assert "True" not in history and "False" not in history and "∅" not in history
    assert str(city.street_a) in history  # the region by its name and code, not its id
    change = ObjectChange.objects.filter(object_id=str(work.pk), action="update").latest("pk")
    detail = clients["admin"].get(f"/changes/{change.pk}/").content.decode()
    assert "open_to_public" not in detail and ("是" in detail or "Yes" in detail)


def test_the_change_log_shows_peoples_edits_unless_asked_for_automatic_ones(clients: Any, city: Any) -> None:
    Organisation.objects.create(name="系统导入单位", uscc=make_uscc(77), region=city.a)  # no person behind it
    clients["admin"].post("/organisations/add/", _org_data(city, name="人工录入单位"))
    page = clients["admin"].get("/changes/").content.decode()
    assert "人工录入单位" in page and "系统导入单位" not in page
    assert "系统导入单位" in clients["admin"].get("/changes/?automatic=1").content.decode()
