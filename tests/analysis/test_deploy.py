"""What of the Docker deployment can be tested without Docker: the start command serves the
app, the health check passes against it, the volume is where the app writes, the config."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path, PurePosixPath

import pytest

from analysis import db
from tests.conftest import ROOT


def dockerfile() -> dict[str, list[str]]:
    """Instruction -> arguments of each line (continuations joined), in order of appearance."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    out: dict[str, list[str]] = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            instr, _, rest = line.partition(" ")
            out.setdefault(instr.upper(), []).append(rest.strip())
    return out


def exec_form(args: str) -> list[str]:
    return json.loads(args) if args.startswith("[") else shlex.split(args)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_image_basics():
    d = dockerfile()
    assert d["FROM"] == ["python:3.11-slim"]
    assert d["USER"] and d["USER"][-1] not in ("root", "0")
    assert "pip install -r requirements.txt" in " ".join(d["RUN"])
    assert d["EXPOSE"] == ["8501"]
    assert "chromium" in " ".join(d["RUN"]) and "fonts-noto-cjk" in " ".join(d["RUN"])


def test_volume_is_where_the_app_writes_its_data():
    d = dockerfile()
    workdir = PurePosixPath(d["WORKDIR"][-1])
    volume = PurePosixPath(exec_form(d["VOLUME"][0])[0])
    assert volume.relative_to(workdir) == PurePosixPath(db.DEFAULT_DB.parent.as_posix())
    assert db.DEFAULT_DB.parent == db.DEMO_DB.parent == Path("data")


def test_secrets_and_data_stay_out_of_the_image():
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert ".streamlit/secrets.toml" in ignored
    assert "data/*.duckdb" in ignored


def test_streamlit_config_is_hardened():
    conf = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    server = conf["server"]
    assert server["headless"] is True
    assert server["enableXsrfProtection"] is True
    assert isinstance(server["maxUploadSize"], int) and 0 < server["maxUploadSize"] <= 1000


@pytest.fixture
def served(tmp_path, demo_db):
    """The Dockerfile's CMD, run here on a free port against temporary databases."""
    d = dockerfile()
    cmd = exec_form(d["CMD"][-1])
    assert cmd[:3] == ["streamlit", "run", "app.py"] and "0.0.0.0" in cmd
    port = free_port()
    demo = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, demo)
    env = {**os.environ, "INSIGHTS_DB": str(tmp_path / "store.duckdb"), "INSIGHTS_DEMO_DB": str(demo)}
    # "streamlit" is the console script of the same package: run it with this interpreter.
    argv = [sys.executable, "-m", "streamlit", *cmd[1:], "--server.port", str(port),
            "--server.address", "127.0.0.1"]
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        yield port, d
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _health(port: int, deadline_s: float = 40.0) -> int | None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                return r.status
        except OSError:
            time.sleep(0.3)
    return None


def test_start_command_serves_a_healthy_app_and_the_healthcheck_passes(served):
    port, d = served
    assert _health(port) == 200
    check = exec_form(d["HEALTHCHECK"][-1].split(" CMD ", 1)[1])
    assert check[:2] == ["python", "-c"] and "http://localhost:8501/_stcore/health" in check[2]
    code = check[2].replace("localhost:8501", f"127.0.0.1:{port}")
    assert subprocess.run([sys.executable, "-c", code], timeout=20).returncode == 0
