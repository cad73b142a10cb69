"""Background jobs of the city model (registered with core.tasks)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from renfang.citymodel import services
from renfang.core.models import Job, Region
from renfang.core.tasks import JobFailed, job_handler


@job_handler("osm_import")
def osm_import_job(job: Job) -> dict[str, Any]:
    from renfang.citymodel.osm import OsmImportError

    params = job.params
    path = Path(params["path"])
    region = Region.objects.filter(pk=params.get("region")).first()
    try:
        network = services.import_osm_file(
            path=path,
            filename=params["filename"],
            name=params["name"],
            region=region,
            progress=lambda done, total, message="": job.report(done, total, message),
        )
    except OsmImportError as exc:
        raise JobFailed(_("The OpenStreetMap file could not be imported: %(error)s") % {"error": exc}) from exc
    finally:
        path.unlink(missing_ok=True)
    return {
        "network": network.pk,
        "nodes": network.node_count,
        "edges": network.edge_count,
        "length_km": network.length_km,
        "url": network.get_absolute_url(),
    }
