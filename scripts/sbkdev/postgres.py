"""A PostgreSQL server that answers.

The machine's server when it answers (on the default socket, or where ``PGHOST`` / ``PGPORT``
point). Where PostgreSQL is installed but no server answers: the machine's Debian cluster is
started when we are root, else a private cluster is made under the cache (initdb, trust for the
current user, a socket in a private directory and no TCP port) and stopped when the command ends.
``SBK_PRIVATE_POSTGRES=1`` asks for the private cluster even when a server answers.
"""

import getpass
import glob
import os
import shutil
import subprocess
import time
from pathlib import Path

from .odoo import cache_dir, cache_lock
from .progress import SetupError, step

PORT = "5432"


def answers(env=None):
    return (
        shutil.which("pg_isready") is not None
        and subprocess.run(
            ["pg_isready", "-q"], env=env or os.environ, capture_output=True, check=False
        ).returncode
        == 0
    )


def _wait(env, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if answers(env):
            return True
        time.sleep(0.5)
    return False


def _server_binaries():
    """The directory of initdb / pg_ctl / postgres, the newest version first."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parent.parent.name),
        reverse=True,
    )
    if found:
        return Path(found[0]).parent
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).resolve().parent
    return None


class Postgres:
    """The server in use; ``stop()`` stops it only if this command started it."""

    def __init__(self, description, env=None, stop_command=None):
        self.description = description
        self.env = env or {}
        self.stop_command = stop_command

    def apply(self):
        """Point this process (and every child: psql, createdb, Odoo) at the server."""
        os.environ.update(self.env)
        return self

    def stop(self):
        if self.stop_command:
            subprocess.run(self.stop_command, capture_output=True, check=False)
            self.stop_command = None


def _debian_cluster():
    """Start the machine's Debian cluster (root only): what a freshly booted machine needs."""
    if os.geteuid() != 0 or not shutil.which("pg_ctlcluster"):
        return None
    versions = sorted(Path("/etc/postgresql").glob("*/main"), key=lambda p: int(p.parent.name))
    if not versions:
        return None
    version = versions[-1].parent.name
    with step(f"Starting the machine's PostgreSQL {version} cluster"):
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],
            capture_output=True,
            check=False,
        )
        if not _wait(os.environ):
            return None
    return Postgres(f"the machine's PostgreSQL {version} (started)")


def _private_cluster():
    binaries = _server_binaries()
    if binaries is None:
        raise SetupError(
            "no PostgreSQL server answers and PostgreSQL is not installed",
            "install it: sudo apt-get install postgresql (Debian starts its server), or point "
            "PGHOST / PGPORT at a server",
        )
    version = binaries.parent.name
    # PostgreSQL refuses to run as root: root runs it as the "postgres" system user, in a
    # folder that user can reach (root's home usually is closed to it).
    as_server = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    base = cache_dir() / "postgres" / version
    if (
        as_server
        and subprocess.run(
            [*as_server, "test", "-x", str(base.parent.parent)], capture_output=True, check=False
        ).returncode
    ):
        base = Path("/var/lib/sbk-trade/postgres") / version
    data, sockets = base / "data", base / "run"
    role = getpass.getuser()
    env = {"PGHOST": str(sockets), "PGPORT": PORT, "PGUSER": role, "PGDATABASE": "postgres"}
    check_env = dict(os.environ, **env)
    with cache_lock(f"postgres-{version}"):
        if answers(check_env):
            return Postgres(f"the private PostgreSQL {version} in {base}", env)
        base.mkdir(parents=True, exist_ok=True)
        sockets.mkdir(exist_ok=True)
        data.mkdir(exist_ok=True)
        for path in (base, sockets, data):
            if as_server:
                shutil.chown(path, "postgres")
        data.chmod(0o700)
        log = base / "server.log"
        if not (data / "PG_VERSION").exists():
            with step(f"Creating a private PostgreSQL {version} cluster in {data}"):
                proc = subprocess.run(
                    [
                        *as_server,
                        str(binaries / "initdb"),
                        "-D",
                        str(data),
                        "-U",
                        role,
                        "--auth=trust",
                        "-E",
                        "UTF8",
                        "--locale=C.UTF-8",
                    ],
                    capture_output=True,
                    text=True,
                    check=False,
                )
            if proc.returncode:
                raise SetupError(
                    f"initdb failed: {(proc.stderr or proc.stdout).strip()[-400:]}",
                    f"remove {data} and run again, or point PGHOST / PGPORT at a server",
                )
        with step(f"Starting the private PostgreSQL {version} (socket in {sockets})"):
            proc = subprocess.run(
                [
                    *as_server,
                    str(binaries / "pg_ctl"),
                    "-D",
                    str(data),
                    "-l",
                    str(log),
                    "-o",
                    f"-k {sockets} -p {PORT} -c listen_addresses=''",
                    "-w",
                    "start",
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            if proc.returncode or not _wait(check_env):
                raise SetupError(
                    f"the private PostgreSQL did not start: {proc.stderr.strip()[-300:]}",
                    f"read {log}",
                )
    stop = [*as_server, str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]
    return Postgres(f"the private PostgreSQL {version} in {base}", env, stop)


def ensure_postgres():
    """A server that answers, with this process's environment pointing at it."""
    if os.environ.get("SBK_PRIVATE_POSTGRES") != "1":
        if answers():
            return Postgres("the running PostgreSQL").apply()
        started = _debian_cluster()
        if started:
            return started.apply()
    return _private_cluster().apply()
