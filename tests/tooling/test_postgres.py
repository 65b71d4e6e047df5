"""A private PostgreSQL cluster where no server answers (forced here: one answers)."""

import os
import shutil
import subprocess

import pytest
from sbkdev import postgres


@pytest.fixture
def private(tmp_path, monkeypatch):
    if postgres._server_binaries() is None:
        pytest.skip("PostgreSQL's server programs are not installed")
    if os.geteuid() == 0 and not shutil.which("runuser"):
        pytest.skip("root needs runuser to start PostgreSQL as its own user")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("SBK_PRIVATE_POSTGRES", "1")
    if os.geteuid() == 0:
        tmp_path.chmod(0o755)
    saved = dict(os.environ)
    server = postgres.ensure_postgres()
    yield server
    server.stop()
    os.environ.clear()
    os.environ.update(saved)


def test_a_private_cluster_starts_answers_and_stops(private):
    assert "private PostgreSQL" in private.description
    assert os.environ["PGHOST"] == private.env["PGHOST"]
    out = subprocess.run(
        ["psql", "-X", "-A", "-t", "-c", "SELECT current_user"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == private.env["PGUSER"]
    # A second command finds it running and neither creates nor owns it.
    again = postgres._private_cluster()
    assert again.stop_command is None
    private.stop()
    assert not postgres.answers(dict(os.environ))
