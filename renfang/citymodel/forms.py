from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from renfang.citymodel.models import PopulationBlock, RoadNetwork
from renfang.core.forms import RegistryForm


class PopulationBlockForm(RegistryForm):
    class Meta:
        model = PopulationBlock
        fields = (
            "code",
            "name",
            "region",
            "defence_zone",
            "residents",
            "households",
            "day_population",
            "night_population",
            "lon",
            "lat",
            "location_note",
            "polygon",
        )


class RoadNetworkForm(RegistryForm):
    """Only the description is edited here; the network itself comes from an import or the generator."""

    class Meta:
        model = RoadNetwork
        fields = ("name", "source", "region", "is_active")


class OsmUploadForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    file = forms.FileField(label=_("OpenStreetMap file (.osm.pbf or .osm)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".pbf", ".osm", ".osm.bz2", ".osm.gz")):
            raise forms.ValidationError(
                _("%(name)s is not an OpenStreetMap file (.osm.pbf, .osm).") % {"name": upload.name}
            )
        if upload.size > settings.OSM_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size).0f MB; the limit is %(limit).0f MB.")
                % {"size": upload.size / 1048576, "limit": settings.OSM_IMPORT_MAX_BYTES / 1048576}
            )
        return upload
