"""The production topology end to end, then its faults, one at a time (docs/deployment.md,
"The production-topology test"). After each: every acknowledged complaint is stored exactly
once and every timeline's hash chain is valid (operator.assert_invariants).

The tests run in file order and share one running portal; each leaves it as it found it (a
killed consumer is started again, a stopped server is back)."""

from __future__ import annotations

import io
import re
import signal
import subprocess
import threading
import time
import uuid
from typing import Any

import psycopg
import pytest
import requests
from PIL import Image

from citizen_portal.core.task_queue import ReliableRedisStorage
from tests.production.operator import (
    LODGE,
    assert_invariants,
    citizen_tokens,
    reverse,
    staff_session,
)
from tests.production.topology import (
    DATABASE,
    HEARTBEAT,
    HOST,
    PG,
    REDIS_TASKS,
    Topology,
    wait_for,
)

OFFICER = "lesco.se"  # holds the post that LODGE's category and area route to


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()


def lodge(
    portal: Topology, token: str, key: str = "", files: dict[str, bytes] | None = None
) -> requests.Response:
    client = portal.client(token)
    headers = {"Idempotency-Key": key or uuid.uuid4().hex}
    if files:
        upload = [("files", (name, data, "image/jpeg")) for name, data in files.items()]
        return client.post(
            portal.url("/api/v1/complaints/"), data=LODGE, files=upload, headers=headers
        )
    return client.post(portal.url("/api/v1/complaints/"), json=LODGE, headers=headers)


def sms_to(portal: Topology, phone: str) -> list[str]:
    return [
        str(r["body"].get("body", ""))
        for r in list(portal.gateway.gateway.delivered.values())
        if r["body"].get("to") == phone
    ]


def test_a_citizen_registers_lodges_with_a_photo_and_the_officer_sees_it(portal: Topology):
    phone = "+923331234500"
    citizen = portal.client(language="en")
    asked = citizen.post(
        portal.url("/api/v1/auth/code/"), json={"phone": phone, "purpose": "register"}
    )
    assert asked.status_code == 202, asked.text
    # The code goes out by SMS: enqueued on Redis by a web instance, sent by a consumer.
    wait_for("the registration code by SMS", lambda: bool(sms_to(portal, phone)), 30)
    code = re.search(r"\b(\d{6})\b", sms_to(portal, phone)[0])
    assert code, sms_to(portal, phone)
    verified = citizen.post(
        portal.url("/api/v1/auth/verify/"),
        json={
            "challenge": asked.json()["challenge"],
            "code": code.group(1),
            "full_name": "Ayesha Khan",
            "gender": "female",
            "date_of_birth": "1990-05-14",
            "document_type": "cnic",
            "document_number": "35202 1234567 1",
            "country_of_residence": "PK",
            "home_district": "PK-PB-LHR-LHR",
            "preferred_language": "en",
            "password": "a long and unusual pass phrase 2026",
            "device": "phone",
        },
    )
    assert verified.status_code in (200, 201), verified.text
    token = verified.json()["token"]

    lodged = lodge(portal, token, files={"meter.jpg": photo()})
    assert lodged.status_code == 201, lodged.text
    complaint = lodged.json()
    reference = complaint["reference"]
    assert portal.bucket is not None
    assert portal.bucket.keys(), "the photo went to the object store"
    # The acknowledgement reaches the citizen's phone through the other side of the queue.
    wait_for(
        "the acknowledgement SMS", lambda: any(reference in s for s in sms_to(portal, phone)), 30
    )
    # The photo is on the timeline, served back to its owner through nginx, from the bucket.
    timeline = portal.client(token).get(portal.url(f"/api/v1/complaints/{reference}/timeline/"))
    assert timeline.status_code == 200, timeline.text
    (attached,) = [a for event in timeline.json()["events"] for a in event["attachments"]]
    served = portal.client(token).get(attached["url"].replace(f"https://{HOST}", portal.url("")))
    assert served.status_code == 200
    assert served.content[:3] == b"\xff\xd8\xff"

    # The officer's session works on either instance, directly or through nginx.
    cookies = staff_session(portal, OFFICER)
    detail = reverse(portal, "complaints:work_detail", reference)
    for url in (portal.direct(0, detail), portal.direct(1, detail), portal.url(detail)):
        page = portal.client().get(
            url, cookies=cookies, headers={"X-Forwarded-Proto": "https"}, allow_redirects=False
        )
        assert page.status_code == 200, (url, page.status_code)
        assert complaint["subject"] in page.text
    assert_invariants(portal, [reference])


def test_rate_limits_count_across_both_instances(portal: Topology):
    (token,) = citizen_tokens(portal, 1, skip=40)
    statuses = []
    for n in range(66):
        answer = portal.client(token).get(
            portal.direct(n % 2, "/api/v1/complaints/"), headers={"X-Forwarded-Proto": "https"}
        )
        statuses.append(answer.status_code)
    # API_RATE_PER_TOKEN is 60/min here: the limit is one count in Redis, not one per instance.
    assert statuses.count(200) == 60, statuses
    assert statuses[60:] == [429] * 6


def _export_job(portal: Topology) -> int:
    """An export of the officer's inbox as a background job, enqueued; returns its id."""
    job: int = portal.python(
        "import json\n"
        "from citizen_portal.accounts.models import User\n"
        "from citizen_portal.core import clock\n"
        "from citizen_portal.exports.models import ExportJob\n"
        "from citizen_portal.exports.tasks import run_export\n"
        f"owner = User.objects.get(username={OFFICER!r})\n"
        "job = ExportJob.objects.create(owner=owner, source='inbox', format='csv',"
        " download_name='inbox.csv', created_at=clock.now(), heartbeat_at=clock.now())\n"
        "run_export(job.pk)\n"
        "print(json.dumps(job.pk))"
    )
    return job


def _job(portal: Topology, job: int) -> dict[str, Any]:
    ((status, done, total, file),) = portal.sql(
        "SELECT status, rows_done, total_rows, file FROM exports_exportjob WHERE id = %s", job
    )
    return {"status": status, "done": done, "total": total, "file": file}


def test_a_consumer_killed_in_the_middle_of_a_task_leaves_it_to_the_other(portal: Topology):
    lodged = [lodge(portal, token).json()["reference"] for token in citizen_tokens(portal, 3, 60)]
    queue = ReliableRedisStorage("citizen-portal", url=REDIS_TASKS)
    wait_for(
        "the lodges' notifications to be sent",
        lambda: queue.queue_size() == 0 and not any(queue.in_hand().values()),
    )
    # The consumer that takes the task claims the job (queued → running), then waits for the
    # complaints table, which an operator's maintenance holds locked: it is mid-task.
    with psycopg.connect(PG + DATABASE) as maintenance:
        maintenance.execute("LOCK TABLE complaints_complaint IN ACCESS EXCLUSIVE MODE")
        job = _export_job(portal)
        wait_for("a consumer to claim the job", lambda: _job(portal, job)["status"] == "running")
        # Other tasks that read complaints wait for the lock too: the export's is the one.
        holders = [
            c for c in queue.in_hand() if any(b"run_export" in m for m in queue.in_hand_of(c))
        ]
        assert len(holders) == 1, queue.in_hand()
        (holder,) = holders
        victim = next(w for w in portal.workers if f":{w.popen.pid}:" in holder)
        survivor = next(w for w in portal.workers if w is not victim)
        victim.stop(signal.SIGKILL)
        maintenance.rollback()

    # The task goes back to the queue after three missed heartbeats; the survivor takes it,
    # waits until the job has been silent for EXPORT_TAKEOVER_SECONDS, and writes it whole.
    wait_for("the survivor to finish the job", lambda: _job(portal, job)["status"] == "done", 90)
    finished = _job(portal, job)
    assert finished["done"] == finished["total"] >= 3
    assert portal.bucket is not None
    written = portal.bucket.read(finished["file"]).decode("utf-8-sig").splitlines()
    references = [line.split(",")[0] for line in written[1:]]
    assert len(references) == finished["total"]
    assert len(set(references)) == len(references), "a row written twice"
    assert set(lodged) <= set(references)
    assert portal.bucket.keys("exports/") == [finished["file"]], "one file only"
    assert survivor.alive()
    assert holder not in queue.in_hand(), "the dead consumer is still listed"

    portal.workers = [survivor, portal.start_worker(3)]
    assert_invariants(portal, lodged)


def test_postgresql_restarted_under_load_loses_and_doubles_nothing(portal: Topology):
    clients, each = 6, 8
    tokens = citizen_tokens(portal, clients, skip=10)
    run = uuid.uuid4().hex[:8]
    acknowledged: list[str] = []
    retried = []
    lock = threading.Lock()

    def citizen(number: int) -> None:
        for n in range(each):
            key = f"{run}-{number}-{n}"
            deadline = time.monotonic() + 90
            while True:
                try:
                    answer = lodge(portal, tokens[number], key)
                    if answer.status_code in (200, 201):
                        with lock:
                            acknowledged.append(answer.json()["reference"])
                        break
                    assert answer.status_code >= 500, answer.text  # never a refusal
                except requests.ConnectionError:
                    pass
                with lock:
                    retried.append(key)
                assert time.monotonic() < deadline, f"{key} never acknowledged"
                time.sleep(0.3)  # then again, with the same Idempotency-Key

    threads = [threading.Thread(target=citizen, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    wait_for("the load to begin", lambda: len(acknowledged) >= 6, 60, every=0.05)
    restart = subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    assert restart.returncode == 0, restart.stderr
    for thread in threads:
        thread.join(timeout=120)
    assert len(acknowledged) == clients * each
    assert retried, "the restart did not catch a single request: nothing was tested"
    # One complaint per key, and each acknowledged one stored once.
    keys = portal.sql(
        "SELECT key, complaint_id FROM complaints_submissionkey WHERE key LIKE %s", f"{run}-%"
    )
    assert len(keys) == clients * each
    assert len({complaint for _key, complaint in keys}) == clients * each
    assert sorted(set(acknowledged)) == sorted(acknowledged)
    assert_invariants(portal, acknowledged)


def test_sms_sent_while_the_gateway_is_down_are_delivered_once_when_it_is_back(
    portal: Topology,
):
    gateway = portal.gateway.gateway
    portal.gateway.stop()
    (token,) = citizen_tokens(portal, 1, skip=30)
    references = []
    for _ in range(3):
        answer = lodge(portal, token)
        assert answer.status_code == 201, answer.text
        references.append(answer.json()["reference"])
    # Each acknowledgement met a closed port and waits for its next attempt.
    wait_for(
        "the first attempts to fail",
        lambda: (
            portal.sql(
                "SELECT count(*) FROM notifications_smsmessage WHERE status = 'queued' "
                "AND attempts >= 1 AND body LIKE ANY(%s)",
                [f"%{r}%" for r in references],
            )[0][0]
            == 3
        ),
        30,
    )
    portal.gateway.start()
    # The sweep of the next minute (one consumer, once) sends them.
    wait_for(
        "every message after the gateway came back",
        lambda: all(
            any(r in str(req["body"]) for req in gateway.delivered.values()) for r in references
        ),
        100,
        every=1,
    )
    time.sleep(HEARTBEAT * 3)
    for reference in references:
        sent = [req for req in gateway.received if reference in str(req["body"])]
        assert len(sent) == 1, f"{reference}: sent {len(sent)} times"
    assert_invariants(portal, references)


def test_lodging_with_a_photo_while_the_object_store_is_down_says_retry_and_keeps_nothing_half(
    portal: Topology,
):
    assert portal.s3 is not None
    assert portal.bucket is not None
    (token,) = citizen_tokens(portal, 1, skip=50)
    count = "SELECT count(*) FROM complaints_complaint"
    before = portal.sql(count)[0][0]
    port = portal.s3.port
    portal.s3.stop()
    try:
        refused = lodge(portal, token, files={"meter.jpg": photo()})
        assert refused.status_code == 503, refused.text
        assert refused.json()["error"]["code"] == "storage_unavailable"
        assert "try again in a few minutes" in refused.json()["error"]["message"]
        urdu = portal.client(token, language="ur")
        again = urdu.post(
            portal.url("/api/v1/complaints/"),
            data=LODGE,
            files=[("files", ("meter.jpg", photo(), "image/jpeg"))],
            headers={"Idempotency-Key": uuid.uuid4().hex},
        )
        assert again.status_code == 503
        assert "try again" not in again.json()["error"]["message"]  # said in Urdu
        assert portal.sql(count)[0][0] == before, "a complaint half-lodged"
        # Lodging without a file still works: the database does not depend on the store.
        plain = lodge(portal, token)
        assert plain.status_code == 201
    finally:
        from citizen_portal.core.tests.object_store import start_s3_server

        portal.s3 = start_s3_server(port)
        portal.s3.client().create_bucket(Bucket=portal.bucket.name)
        portal.bucket.server = portal.s3
    lodged = lodge(portal, token, files={"meter.jpg": photo()})
    assert lodged.status_code == 201, lodged.text
    assert_invariants(portal, [plain.json()["reference"], lodged.json()["reference"]])


@pytest.fixture(autouse=True)
def _portal_still_whole(portal: Topology):
    yield
    dead = [p.name for p in [*portal.web, *portal.workers] if not p.alive()]
    assert dead == [], f"stopped during the test: {dead}"
