"""The portal as deployed, started on this machine for the production suite: nginx (the
configuration in deploy/nginx, with a certificate made for the run) in front of two gunicorn
instances (deploy/gunicorn.conf.py), two huey consumers on Redis (core/task_queue.py),
PostgreSQL, an S3-compatible object store (moto's server) and an HTTP SMS gateway. Every part
is a real process or server; the test reaches the portal through nginx over TLS, as a citizen's
phone would, and looks into the database the way an operator would (`manage.py shell`)."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import redis
import requests
import urllib3

from citizen_portal.core.tests.object_store import Bucket, S3Server, start_s3_server
from citizen_portal.core.tests.processes import NOT_INHERITED, process_stop
from citizen_portal.core.tests.sms_gateway import GatewayServer

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
HOST = "portal.example.gov.pk"
PG = "postgres://postgres@127.0.0.1:5432/"
DATABASE = "citizen_portal_prod"
REDIS_TASKS = "redis://127.0.0.1:6379/11"
REDIS_CACHE = "redis://127.0.0.1:6379/10"
# Seconds: a killed consumer's tasks go to the other after three missed beats.
HEARTBEAT = 1.0
START_SECONDS = 90

# The test's own variables, not a deployment's.
LEFT_OUT = NOT_INHERITED | {
    "TASK_QUEUE",
    "PORTAL_VAR_DIR",
    "DATABASE_URL",
    "OPEN311_PUBLIC_CACHE_SECONDS",
    "PYTEST_XDIST_WORKER",
    "PYTEST_XDIST_TESTRUNUID",
    "PYTEST_CURRENT_TEST",
    "DEBUG",
}

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(what: str, check: Callable[[], bool], seconds: float = 30, every: float = 0.2) -> None:
    """Wait until `check()` is true; fail with `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds:.0f} s for {what}")
        time.sleep(every)


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self, sig: int = signal.SIGTERM, seconds: float = 30) -> None:
        process_stop(self.popen, sig, seconds)

    def tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


@dataclass
class Topology:
    work: Path
    env: dict[str, str] = field(default_factory=dict)
    gateway: GatewayServer = field(default_factory=GatewayServer)
    s3: S3Server | None = None
    bucket: Bucket | None = None
    web: list[Process] = field(default_factory=list)
    web_ports: list[int] = field(default_factory=list)
    workers: list[Process] = field(default_factory=list)
    nginx: Process | None = None
    https_port: int = 0

    # --- reaching the portal ----------------------------------------------------------------

    def url(self, path: str) -> str:
        return f"https://127.0.0.1:{self.https_port}{path}"

    def direct(self, instance: int, path: str) -> str:
        """A gunicorn instance without nginx (as nginx reaches it)."""
        return f"http://127.0.0.1:{self.web_ports[instance]}{path}"

    def client(self, token: str = "", language: str = "en") -> requests.Session:
        """A client of the portal's public address: the certificate is the run's own, the
        host name the deployment's."""
        session = requests.Session()
        session.trust_env = False  # no proxy or CA bundle from the machine's environment
        session.verify = False
        session.headers.update(
            {"Host": HOST, "Referer": f"https://{HOST}/", "Accept-Language": language}
        )
        if token:
            session.headers["Authorization"] = f"Bearer {token}"
        return session

    # --- looking inside ---------------------------------------------------------------------

    def manage(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603
            [PY, str(ROOT / "manage.py"), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            cwd=ROOT,
        )

    def python(self, code: str) -> Any:
        """Run `code` in the portal's shell; its last line must print JSON, which is returned."""
        result = self.manage("shell", "--no-imports", "-c", code)
        assert result.returncode == 0, result.stdout + result.stderr
        return json.loads(result.stdout.strip().splitlines()[-1])

    def sql(self, query: str, *params: Any) -> list[tuple[Any, ...]]:
        with psycopg.connect(PG + DATABASE, autocommit=True) as conn:
            return list(conn.execute(query, params).fetchall())

    def redis_tasks(self) -> redis.Redis:
        return redis.Redis.from_url(REDIS_TASKS, decode_responses=True)

    # --- starting and stopping --------------------------------------------------------------

    def spawn(self, name: str, args: list[str], **extra: str) -> Process:
        log = self.work / "logs" / f"{name}.log"
        log.parent.mkdir(exist_ok=True)
        with log.open("ab") as out:
            popen = subprocess.Popen(  # noqa: S603
                args,
                env={**self.env, **extra},
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
                start_new_session=True,
            )
        return Process(name, popen, log)

    def start_web(self, instance: int) -> Process:
        port = self.web_ports[instance]
        metrics = self.work / f"metrics-web{instance}"
        metrics.mkdir(exist_ok=True)
        process = self.spawn(
            f"web{instance}",
            [PY, "-m", "gunicorn", "citizen_portal.wsgi", "-c", "deploy/gunicorn.conf.py"],
            WEB_BIND=f"127.0.0.1:{port}",
            WEB_WORKERS="2",
            PROMETHEUS_MULTIPROC_DIR=str(metrics),
        )
        wait_for(
            f"gunicorn instance {instance} on port {port}\n{process.tail()}",
            lambda: _answers(f"http://127.0.0.1:{port}/livez") or not process.alive(),
            START_SECONDS,
        )
        assert process.alive(), process.tail()
        return process

    def start_worker(self, number: int) -> Process:
        process = self.spawn(f"worker{number}", [PY, "manage.py", "run_huey", "--workers", "2"])
        wait_for(
            f"huey consumer {number} to start\n{process.tail()}",
            lambda: "consumer" in process.tail(200).lower() or not process.alive(),
            START_SECONDS,
        )
        assert process.alive(), process.tail()
        return process

    def start_nginx(self) -> Process:
        process = self.spawn("nginx", ["nginx", "-p", str(self.work / "nginx"), "-c", "nginx.conf"])
        wait_for(
            "nginx to answer",
            lambda: _answers(self.url("/livez"), host=HOST) or not process.alive(),
            30,
        )
        assert process.alive(), (self.work / "nginx" / "error.log").read_text()
        return process

    def stop(self) -> None:
        for process in [*([self.nginx] if self.nginx else []), *self.web, *self.workers]:
            process.stop(signal.SIGINT if process.name.startswith("worker") else signal.SIGTERM)
        self.gateway.stop()
        if self.s3 is not None:
            self.s3.stop()


def _answers(url: str, host: str = "") -> bool:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})  # noqa: S310
    context = None
    if url.startswith("https"):
        import ssl

        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    try:
        with urllib.request.urlopen(request, timeout=2, context=context) as answer:  # noqa: S310
            return bool(answer.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


# --- the parts ------------------------------------------------------------------------------


def fresh_database() -> None:
    with psycopg.connect(PG + "postgres", autocommit=True, connect_timeout=10) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            (DATABASE,),
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}"')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')


def nginx_config(topology: Topology) -> None:
    """deploy/nginx/citizen-portal.conf with this run's ports, certificate and folders, inside
    a main configuration of its own (nginx runs as a program of the test, not the system's)."""
    prefix = topology.work / "nginx"
    (prefix / "logs").mkdir(parents=True, exist_ok=True)
    cert, key = prefix / "fullchain.pem", prefix / "privkey.pem"
    subprocess.run(  # noqa: S603
        [  # noqa: S607
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", f"/CN={HOST}", "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    site = (ROOT / "deploy" / "nginx" / "citizen-portal.conf").read_text()
    upstreams = "".join(
        f"    server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;\n"
        for port in topology.web_ports
    )
    site, found = re.subn(r"(?m)^    server 127\.0\.0\.1:\d+ [^\n]*\n", "", site)
    assert found == 2, "the upstream block of deploy/nginx changed: update the production suite"
    site = site.replace(
        "upstream citizen_portal_web {\n", "upstream citizen_portal_web {\n" + upstreams
    )
    http_port = free_port()
    replacements = {
        "    listen [::]:80;\n": "",
        "    listen [::]:443 ssl http2;\n": "",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{topology.https_port} ssl http2;",
        "/etc/ssl/citizen-portal/fullchain.pem": str(cert),
        "/etc/ssl/citizen-portal/privkey.pem": str(key),
        "/var/log/nginx/citizen-portal.access.log": str(prefix / "access.log"),
        "/srv/citizen-portal/static/": topology.env["STATIC_ROOT"].rstrip("/") + "/",
        "/var/www/acme": str(prefix / "acme"),
    }
    for old, new in replacements.items():
        assert old in site, f"{old!r} is no longer in deploy/nginx: update the production suite"
        site = site.replace(old, new)
    (prefix / "citizen-portal.conf").write_text(site)
    user = "user root;\n" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(
        f"{user}worker_processes 1;\ndaemon off;\npid {prefix}/nginx.pid;\n"
        f"error_log {prefix}/error.log warn;\n"
        "events { worker_connections 512; }\n"
        "http {\n"
        "    include /etc/nginx/mime.types;\n"
        f"    client_body_temp_path {prefix}/client_body;\n"
        f"    proxy_temp_path {prefix}/proxy;\n"
        f"    fastcgi_temp_path {prefix}/fastcgi;\n"
        f"    uwsgi_temp_path {prefix}/uwsgi;\n"
        f"    scgi_temp_path {prefix}/scgi;\n"
        "    include citizen-portal.conf;\n"
        "}\n"
    )


def environment(topology: Topology) -> dict[str, str]:
    import base64
    import secrets

    inherited = {k: v for k, v in os.environ.items() if k not in LEFT_OUT}
    assert topology.bucket is not None
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "citizen_portal.settings",
        "DEPLOYMENT": "production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "FIELD_ENCRYPTION_KEYS": base64.b64encode(os.urandom(32)).decode(),
        "BLIND_INDEX_KEY": base64.b64encode(os.urandom(32)).decode(),
        "ALLOWED_HOSTS": f"{HOST},127.0.0.1,localhost",
        "TRUSTED_PROXIES": "127.0.0.1",
        "DATABASE_URL": PG + DATABASE,
        "DB_CONN_MAX_AGE": "600",
        "TASK_QUEUE": REDIS_TASKS,
        "TASK_HEARTBEAT_SECONDS": str(HEARTBEAT),
        "CACHE_URL": REDIS_CACHE,
        **topology.bucket.environ(),
        "PORTAL_VAR_DIR": str(topology.work / "var"),
        "STATIC_ROOT": str(topology.work / "static"),
        "SMS_BACKEND": "http",
        "SMS_GATEWAY_URL": topology.gateway.gateway.url + "/send",
        "SMS_GATEWAY_TIMEOUT": "3",
        "SMS_RETRY_BASE_SECONDS": "1",
        "EXPORT_TAKEOVER_SECONDS": "8",
        "EXPORT_INLINE_MAX_ROWS": "10",
        "EXPORT_CHUNK_ROWS": "1",
        "API_RATE_PER_TOKEN": "60/min",
        "API_RATE_PER_ADDRESS": "100000/min",
        "OPEN311_RATE_READS": "100000/min",
        "LOG_FORMAT": "json",
    }


def start(work: Path, history: int) -> Topology:
    """Everything, in order; returns once nginx answers. On a failure, what was started is
    stopped again."""
    topology = Topology(work=work)
    try:
        _check_services()
        topology.gateway.start()
        topology.s3 = start_s3_server()
        topology.bucket = topology.s3.new_bucket()
        topology.env = environment(topology)
        fresh_database()
        for db in (REDIS_TASKS, REDIS_CACHE):
            redis.Redis.from_url(db).flushdb()
        for step in (
            ["migrate", "--noinput"],
            ["load_directory"],
            ["seed_demo", "--force", "--history", str(history)],
            ["collectstatic", "--noinput"],
        ):
            done = topology.manage(*step, timeout=900)
            assert done.returncode == 0, f"{step}: {done.stdout[-2000:]}{done.stderr[-4000:]}"
        topology.web_ports = [free_port(), free_port()]
        topology.https_port = free_port()
        topology.web = [topology.start_web(0), topology.start_web(1)]
        topology.workers = [topology.start_worker(1), topology.start_worker(2)]
        nginx_config(topology)
        topology.nginx = topology.start_nginx()
    except BaseException:
        topology.stop()
        raise
    return topology


def _check_services() -> None:
    """The suite needs these; a missing one fails it with the way to start it."""
    try:
        with psycopg.connect(PG + "postgres", connect_timeout=5):
            pass
    except psycopg.OperationalError as exc:
        raise AssertionError(
            f"PostgreSQL is not reachable at 127.0.0.1:5432 ({exc}): "
            "pg_ctlcluster --skip-systemctl-redirect 15 main start"
        ) from None
    try:
        redis.Redis.from_url(REDIS_TASKS, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        raise AssertionError(
            f"Redis is not reachable at 127.0.0.1:6379 ({exc}): redis-server --daemonize yes "
            "--bind 127.0.0.1 --port 6379 --save '' --appendonly no"
        ) from None
    found = subprocess.run(["nginx", "-v"], capture_output=True, check=False)  # noqa: S607
    assert found.returncode == 0, "nginx is not installed: make test-prod installs it"
