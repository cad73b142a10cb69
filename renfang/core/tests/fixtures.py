"""Fixtures used across apps: a city with two districts and one user for every role.

Two districts (A and B) are what every scoping test needs: a district A user must see A's rows and
never B's. Factories create rows in a given district.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from renfang.core.choices import Role
from renfang.engine.uscc import uscc_check_char

PASSWORD = "correct horse battery"


def make_uscc(serial: int, district: str = "379902") -> str:
    body = f"91{district}{serial:08d}X"[:17]
    return body + uscc_check_char(body)


@pytest.fixture
def city(db: Any) -> Any:
    from renfang.core.models import Region

    province = Region.objects.create(code="370000", name="山东省", level="province")
    city = Region.objects.create(code="379900", name="东川市", level="city", parent=province, lon=116.05, lat=36.5)
    a = Region.objects.create(
        code="379902",
        name="东川区",
        level="district",
        parent=city,
        lon=116.0,
        lat=36.5,
        boundary={
            "type": "Polygon",
            "coordinates": [[[115.95, 36.45], [116.05, 36.45], [116.05, 36.55], [115.95, 36.55], [115.95, 36.45]]],
        },
    )
    b = Region.objects.create(
        code="379903",
        name="临河区",
        level="district",
        parent=city,
        lon=116.1,
        lat=36.5,
        boundary={
            "type": "Polygon",
            "coordinates": [[[116.05, 36.45], [116.15, 36.45], [116.15, 36.55], [116.05, 36.55], [116.05, 36.45]]],
        },
    )
    sa = Region.objects.create(code="379902001", name="文化路街道", level="street", parent=a, lon=116.0, lat=36.5)
    sb = Region.objects.create(code="379903001", name="柳园街道", level="street", parent=b, lon=116.1, lat=36.5)
    ca = Region.objects.create(code="379902001001", name="花园社区", level="community", parent=sa, lon=116.0, lat=36.5)
    cb = Region.objects.create(code="379903001001", name="滨河社区", level="community", parent=sb, lon=116.1, lat=36.5)
    return type(
        "City",
        (),
        {
            "province": province,
            "city": city,
            "a": a,
            "b": b,
            "street_a": sa,
            "street_b": sb,
            "community_a": ca,
            "community_b": cb,
        },
    )


ROLE_SPECS: dict[str, tuple[str, str, dict[str, Any]]] = {
    # name: (role, region attribute on the city fixture, extra fields)
    "admin": (Role.ADMIN, "city", {}),
    "city_staff": (Role.CITY_STAFF, "city", {"department": "works"}),
    "approvals_staff": (Role.CITY_STAFF, "city", {"department": "approvals"}),
    "district_a": (Role.DISTRICT_STAFF, "a", {}),
    "district_b": (Role.DISTRICT_STAFF, "b", {}),
    "duty_officer": (Role.DUTY_OFFICER, "city", {}),
    "commander": (Role.COMMANDER, "city", {}),
    "leadership": (Role.LEADERSHIP, "city", {}),
    "applicant": (Role.APPLICANT, "", {}),
    "maintenance": (Role.MAINTENANCE, "", {}),
}


@pytest.fixture
def users(city: Any) -> dict[str, Any]:
    from renfang.core.models import Organisation, User

    org = Organisation.objects.create(name="东川建设集团有限公司", uscc=make_uscc(1), region=city.a, is_builder=True)
    result = {}
    for name, (role, region_attr, extra) in ROLE_SPECS.items():
        user = User(username=name, role=role, region=getattr(city, region_attr) if region_attr else None, **extra)
        if role in (Role.APPLICANT, Role.MAINTENANCE):
            user.organisation = org
        user.set_password(PASSWORD)
        user.save()
        result[name] = user
    for user in result.values():
        if user.two_factor_required:
            verified(user)
    return result


def verified(user: Any) -> Any:
    """``user`` as a request's user is after passing the second factor (what services check), with a device."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user.otp_device = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})[0]
    return user


def client_for(user: Any) -> Client:
    """A test client signed in as ``user``, with the second factor already passed if it needs one."""
    client = Client()
    client.force_login(user)
    if user.two_factor_required:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})[0]
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def clients(users: dict[str, Any]) -> dict[str, Client]:
    return {name: client_for(user) for name, user in users.items()}


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    """Rate-limit windows live in the cache, the jurisdiction and the map backdrop in per-process caches
    (kept for seconds, as a server keeps them): every test starts with none of another test's city."""
    from django.core.cache import cache

    from renfang.core.basemap import reset_backdrop
    from renfang.core.geo import reset_jurisdiction

    cache.clear()
    reset_jurisdiction()
    reset_backdrop()
    yield
    cache.clear()


def token_client(user: Any, scope: str = "write", days: int = 30) -> Any:
    """An API client authenticated with a fresh personal token of ``user``."""
    from rest_framework.test import APIClient

    from renfang.core.services import issue_token

    _token, key = issue_token(user=user, name="test", scope=scope, days=days)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def build_small_demo(*, coverage: bool = False) -> None:
    """The demo city at 5 % scale with every registry filled (the generated registry tests, the role crawl)."""
    from renfang.citymodel.demo import build_demo_city, ensure_demo_users
    from renfang.evacuation.demo import build_demo_evacuation
    from renfang.sirens.demo import build_demo_sirens
    from renfang.works.demo import build_demo_works

    build_demo_city(scale=0.05)
    build_demo_works()
    build_demo_sirens()
    if coverage:
        from renfang.sirens.services import compute_coverage

        compute_coverage()
    build_demo_evacuation()
    ensure_demo_users()
    from renfang.approvals.demo import build_demo_approvals

    build_demo_approvals(scale=0.2)
