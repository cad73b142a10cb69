"""Drawing-review intermediaries drawn "背靠背" and verifiably; the built shelter enters the works registry."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from django.test import Client

from renfang.approvals import intermediaries, workflow
from renfang.approvals.models import Conflict, PoolMember
from renfang.approvals.tests.helpers import draft, pdf, with_core_materials
from renfang.core.models import Organisation
from renfang.core.tests.fixtures import client_for, make_uscc
from renfang.engine.tests.test_draws import doc_sample

pytestmark = pytest.mark.django_db


def approved(users: dict[str, Any], city: Any) -> Any:
    staff = users["approvals_staff"]
    application = with_core_materials(draft(users, city), users["applicant"])
    for row in application.materials.filter(material__deferrable=True).select_related("material"):
        workflow.upload_material(application=application, material=row.material, file=pdf(), user=users["applicant"])
    workflow.submit(application=application, user=users["applicant"])
    workflow.accept(application=application, user=staff)
    workflow.decide(application=application, user=staff, decision="approved", obligation="build", basis="x", reasons="")
    return application


def pool(city: Any, users: dict[str, Any], n: int = 6) -> list[PoolMember]:
    today = workflow._today()
    members = []
    for i in range(n):
        org = Organisation.objects.create(
            name=f"审图中心{i}", uscc=make_uscc(40 + i), region=city.a, is_intermediary=True
        )
        members.append(
            PoolMember.objects.create(
                organisation=org,
                qualification="甲级",
                tender_reference="T1",
                admitted_on=today - dt.timedelta(days=10),
                admitted_until=today + dt.timedelta(days=10),
            )
        )
    members[-1].suspended = True
    members[-1].save()
    old = members[-2]
    old.admitted_until = today - dt.timedelta(days=1)
    old.save()
    Conflict.objects.create(member=members[0], builder=users["applicant"].organisation, declared_on=today)
    return members


def test_the_draw_excludes_conflicts_and_replays_from_the_public_record(users: dict[str, Any], city: Any) -> None:
    members = pool(city, users)
    application = approved(users, city)
    staff = users["approvals_staff"]
    draw = intermediaries.commit_draw(project=application.project, user=staff)
    assert sorted(draw.candidates) == sorted(m.identifier for m in members[1:4])  # no conflict, expired, suspended
    before = Client().get(f"/approvals/draws/{draw.pk}.json").json()
    assert "seed" not in before and "pool" not in before
    assert before["commitment"] == draw.commitment
    with pytest.raises(workflow.WorkflowError):
        intermediaries.commit_draw(project=application.project, user=staff)  # one open draw at a time
    made = intermediaries.make_draw(draw=draw, user=staff, public_value="福彩3D 527")
    with pytest.raises(workflow.WorkflowError):
        intermediaries.make_draw(draw=made, user=staff)  # no re-draw on the same record
    record = Client().get(f"/approvals/draws/{draw.pk}.json").json()
    # anyone: the seed matches the commitment, the pool the digest, and the documented algorithm the result
    assert hashlib.sha256(bytes.fromhex(record["seed"])).hexdigest() == before["commitment"]
    assert hashlib.sha256("\n".join(sorted(record["pool"])).encode()).hexdigest() == before["pool_digest"]
    assert (
        doc_sample(record["seed"], record["public_value"], record["pool"], "intermediary", 1, record["pool"])
        == record["draws"][0]["result"]
    )
    assert record["draws"][0]["result"] == [made.result.identifier]


def test_the_applicant_never_sees_the_pool_or_a_pending_draw(users: dict[str, Any], city: Any) -> None:
    pool(city, users)
    application = approved(users, city)
    draw = intermediaries.commit_draw(project=application.project, user=users["approvals_staff"])
    applicant = client_for(users["applicant"])
    assert applicant.get("/approvals/intermediary-pool/").status_code == 403
    assert applicant.get("/api/v1/intermediary-pool/").status_code == 403
    page = applicant.get(application.project.get_absolute_url()).content.decode()
    assert draw.commitment[:16] not in page and "审图中心" not in page
    intermediaries.make_draw(draw=draw, user=users["approvals_staff"])
    draw.refresh_from_db()
    assert draw.result.organisation.name in applicant.get(application.project.get_absolute_url()).content.decode()


def test_the_seed_never_reaches_the_change_log_or_the_api(users: dict[str, Any], city: Any) -> None:
    from renfang.core.models import ObjectChange

    pool(city, users)
    draw = intermediaries.commit_draw(project=approved(users, city).project, user=users["approvals_staff"])
    assert not any(draw.seed in f"{c.prechange_data}{c.postchange_data}" for c in ObjectChange.objects.all())
    assert ObjectChange.objects.filter(object_id=str(draw.pk), content_type__model="draw").exists()
    body = client_for(users["admin"]).get(f"/api/v1/intermediary-draws/{draw.pk}/").content.decode()
    assert draw.seed not in body


def test_completion_puts_the_shelter_into_the_works_registry(users: dict[str, Any], city: Any) -> None:
    application = approved(users, city)
    staff = users["approvals_staff"]
    with pytest.raises(workflow.WorkflowError):
        intermediaries.accept_completion(
            project=application.project,
            user=staff,
            accepted_on=workflow._today(),
            building_area_m2=100,
            sheltering_area_m2=200,
            grade="6",
        )
    done = intermediaries.accept_completion(
        project=application.project,
        user=staff,
        accepted_on=workflow._today(),
        building_area_m2=1200,
        sheltering_area_m2=960,
        grade="6",
    )
    work = done.work
    assert (work.status, work.sheltering_area, work.nuclear_class, work.region) == ("accepted", 960, "6", city.a)
    assert work.capacity and work.capacity > 0
    again = intermediaries.accept_completion(
        project=application.project,
        user=staff,
        accepted_on=workflow._today(),
        building_area_m2=1250,
        sheltering_area_m2=1000,
        grade="6",
    )
    assert again.work.pk == work.pk
    [row] = intermediaries.obligations(application.project.__class__.objects.all())
    assert (row["required"], row["built"]) == (1200.0, 1250.0)
