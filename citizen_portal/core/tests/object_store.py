"""A real S3 server on this machine for the tests of object storage: moto in server mode, run
as a subprocess on a free port of 127.0.0.1, and read back with boto3 the way an operator would
look into the bucket. The fixtures that use it are in the root conftest.py."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any

import boto3

ACCESS_KEY = "portal-test-key"
SECRET_KEY = "portal-test-secret"  # moto accepts any credentials
REGION = "us-east-1"
STARTUP_SECONDS = 60


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class S3Server:
    """One moto server process."""

    port: int
    process: subprocess.Popen[bytes]
    buckets: list[str] = field(default_factory=list)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self) -> Any:
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )

    def new_bucket(self) -> Bucket:
        name = f"portal-test-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return Bucket(server=self, name=name)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class Bucket:
    """A bucket on a server, with the environment that points the portal at it."""

    server: S3Server
    name: str

    def environ(self) -> dict[str, str]:
        return {
            "STORAGE_S3_BUCKET": self.name,
            "STORAGE_S3_ENDPOINT_URL": self.server.endpoint,
            "STORAGE_S3_ACCESS_KEY": ACCESS_KEY,
            "STORAGE_S3_SECRET_KEY": SECRET_KEY,
            "STORAGE_S3_REGION": REGION,
        }

    def keys(self, prefix: str = "") -> list[str]:
        listed = self.server.client().list_objects_v2(Bucket=self.name, Prefix=prefix)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def read(self, key: str) -> bytes:
        body = self.server.client().get_object(Bucket=self.name, Key=key)["Body"]
        return bytes(body.read())

    def grantees(self, key: str) -> list[str]:
        """Who the object's ACL grants anything to: owners by id, groups by URI."""
        grants = self.server.client().get_object_acl(Bucket=self.name, Key=key)["Grants"]
        return [g["Grantee"].get("URI") or g["Grantee"].get("ID", "") for g in grants]


def start_s3_server(port: int | None = None) -> S3Server:
    """Start moto's server (on `port`, or a free one) and return once it answers S3 requests.
    It keeps its buckets in memory: a server started again on the same port starts empty."""
    port = port or _free_port()
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = S3Server(port=port, process=process)
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"moto's S3 server exited at start (code {process.returncode})")
        try:
            with urllib.request.urlopen(server.endpoint + "/", timeout=2):  # noqa: S310
                return server
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(f"moto's S3 server did not answer on port {port}") from None
            time.sleep(0.05)
