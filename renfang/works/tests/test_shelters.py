"""Emergency shelters: state, crowding and their link to a work."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from renfang.works.tests.factories import make_shelter, make_work


def test_a_shelter_needs_a_location(city: Any) -> None:
    with pytest.raises(ValidationError) as info:
        make_shelter(city.street_a, lon=None, lat=None)
    assert "lon" in info.value.message_dict


def test_a_full_shelter_is_at_the_highest_crowding_level(city: Any) -> None:
    with pytest.raises(ValidationError) as info:
        make_shelter(city.street_a, status="full", crowding=1)
    assert "crowding" in info.value.message_dict
    assert make_shelter(city.street_a, status="full", crowding=3).status == "full"


def test_a_shelter_links_only_to_a_work_of_its_own_district(city: Any) -> None:
    work = make_work(city.street_b, code="WB")
    with pytest.raises(ValidationError) as info:
        make_shelter(city.street_a, work=work)
    assert "work" in info.value.message_dict
    assert make_shelter(city.street_b, code="S2", work=work).work == work
