"""Background jobs through a real Redis and a real Huey consumer (the production set-up for a province)."""

from __future__ import annotations

import os
import signal
import time
import uuid
from typing import Any

import pytest

from renfang.core.models import Job
from renfang.core.tasks import job_handler, run_job

REDIS_URL = os.environ.get("RENFANG_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@job_handler("test_count_blocks")
def _count(job: Job) -> dict[str, Any]:
    for step in range(3):
        job.report(step + 1, 3, f"step {step + 1}")
    return {"answer": 42}


def _redis_or_skip() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI provides Redis at {REDIS_URL}: {exc}")
        pytest.skip(f"no Redis at {REDIS_URL}")


@pytest.mark.django_db(transaction=True)
def test_a_job_queued_in_redis_is_run_by_a_worker_with_its_progress(users: Any) -> None:
    _redis_or_skip()
    from huey import RedisHuey

    huey = RedisHuey(f"renfang-test-{uuid.uuid4().hex[:8]}", url=REDIS_URL)

    @huey.task()
    def run(job_id: int) -> None:
        run_job.call_local(job_id)

    job = Job.objects.create(kind="test_count_blocks", title="t", user=users["city_staff"], params={})
    handlers = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    consumer = huey.create_consumer(workers=1, worker_type="thread", periodic=False, check_worker_health=False)
    consumer.start()
    try:
        run(job.pk)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.is_done:
                break
            time.sleep(0.1)
    finally:
        consumer.stop(graceful=True)
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
        huey.storage.flush_queue()
    assert job.status == "succeeded", job.error
    assert job.result == {"answer": 42}
    assert job.progress == 1.0
    assert job.message == "step 3"
