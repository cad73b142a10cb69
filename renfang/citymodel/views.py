"""City-model pages beyond the generic registry views: importing an OpenStreetMap file."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from renfang.citymodel.forms import OsmUploadForm
from renfang.citymodel.registries import road_networks
from renfang.core.permissions import can_edit
from renfang.core.tasks import start_job


@login_required
def osm_import_view(request: HttpRequest) -> HttpResponse:
    if not can_edit(request.user, road_networks):
        raise PermissionDenied(_("Your role may not import road networks."))
    form = OsmUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        folder = Path(settings.MEDIA_ROOT) / "imports"
        folder.mkdir(parents=True, exist_ok=True)
        suffix = ".osm.pbf" if upload.name.lower().endswith(".pbf") else ".osm"
        target = folder / f"{uuid.uuid4().hex}{suffix}"
        with target.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        job = start_job(
            kind="osm_import",
            title=_("Import road network %(name)s") % {"name": form.cleaned_data["name"]},
            user=request.user,
            params={
                "path": str(target),
                "filename": upload.name,
                "name": form.cleaned_data["name"],
                "region": getattr(request.user, "region_id", None),
            },
        )
        return HttpResponseRedirect(job.get_absolute_url())
    return render(
        request,
        "citymodel/osm_import.html",
        {"form": form, "registry": road_networks},
        status=400 if form.errors else 200,
    )
