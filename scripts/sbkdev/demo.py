"""SBK Trade Bridge on a demo database (scripts/demo).

Sets up Odoo and PostgreSQL as the tests do (``sbkdev.odoo``, ``sbkdev.postgres``), creates or
updates the database (default ``sbk_demo``) with our addons and their demo data, starts the
reference MES simulator with an API key made for the demo MES user, and serves Odoo on
http://localhost:8069 until interrupted (Ctrl-C stops Odoo, the MES and a private PostgreSQL).
"""

import argparse
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from . import databases, logparse
from .odoo import cache_dir
from .progress import SetupError, run_main, say, step
from .project import ROOT, demo_addons
from .server import OdooCommand
from .testrun import setup

DEMO_DIR = ROOT / ".demo"
SIMULATOR = ROOT / "mes_simulator" / "mes_sim.py"
MES_SETUP = Path(__file__).parent / "odoo_shell" / "mes_setup.py"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="scripts/demo", description=__doc__)
    parser.add_argument("--db", default=os.environ.get("SBK_DEMO_DB", "sbk_demo"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("SBK_HTTP_PORT", 8069)))
    parser.add_argument("--mes-port", type=int, default=int(os.environ.get("SBK_MES_PORT", 8070)))
    parser.add_argument("--no-mes", action="store_true", help="do not start the MES simulator")
    parser.add_argument(
        "--reset", action="store_true", help="drop the demo database and create it anew"
    )
    parser.add_argument(
        "--setup-only",
        action="store_true",
        help="create or update the database, then stop instead of serving",
    )
    return parser.parse_args(argv)


def _secret_file(name, make=None):
    """A file of .demo/ readable by its owner only (secrets never go on a command line)."""
    DEMO_DIR.mkdir(exist_ok=True)
    path = DEMO_DIR / name
    if make and not path.exists():
        path.touch(mode=0o600)
        path.write_text(make())
    return path


def split_install_update(addons, installed):
    """(to install, to update): Odoo's ``-u`` passes over a module not installed yet, so an
    older demo database gets an addon added since (the demo story itself) through ``-i``."""
    installed = set(installed)
    return (
        [name for name in addons if name not in installed],
        [name for name in addons if name in installed],
    )


def installed_modules(db):
    """The modules installed in ``db`` (none when it is not an Odoo database)."""
    proc = databases.psql(
        "SELECT name FROM ir_module_module WHERE state IN ('installed', 'to upgrade')", db=db
    )
    return proc.stdout.split() if proc.returncode == 0 else []


def prepare_database(command, db, reset):
    addons = ",".join(demo_addons())
    if reset:
        databases.drop(db)
    if databases.exists(db):
        to_install, to_update = split_install_update(demo_addons(), installed_modules(db))
        label, extra = f"Updating the database {db}", []
        if to_install:
            label += f" (installing {', '.join(to_install)})"
            extra += ["-i", ",".join(to_install)]
        if to_update:
            extra += ["-u", ",".join(to_update)]
    else:
        label, extra = (
            f"Creating the database {db} with demo data (a few minutes)",
            (
                "-i",
                addons,
                "--load-language=zh_CN",
            ),
        )
    with step(label):
        rc, log = command.run(db, *extra, log_name="demo_install")
    errors = logparse.error_lines(log)
    if rc or errors:
        raise SetupError(
            f"{label} failed:\n    " + "\n    ".join(errors[:10] or [f"exit code {rc}"]),
            f"full log: {command.log_dir / 'demo_install.log'}; --reset starts from scratch",
        )


def start_mes(command, db, args):
    """The reference MES, with the demo MES user's API key; returns its process or None."""
    if args.no_mes or not SIMULATOR.exists():
        return None
    key_file = _secret_file("mes_odoo_key")
    token_file = _secret_file("mes_auth_token", lambda: secrets.token_urlsafe(32))
    env = dict(
        os.environ,
        SBK_MES_ODOO_KEY_FILE=str(key_file),
        SBK_MES_AUTH_TOKEN_FILE=str(token_file),
        SBK_MES_URL=f"http://127.0.0.1:{args.mes_port}/RPC2",
    )
    with step("Giving the demo MES user an API key"):
        rc, out = command.shell(db, MES_SETUP.read_text(), log_name="demo_mes_key", env=env)
    if "SBK_MES_READY" not in out:
        say("  (no MES user in this database: the MES simulator is not started)")
        return None
    log = open(DEMO_DIR / "mes.log", "a")  # noqa: SIM115 (open for the process's life)
    process = subprocess.Popen(
        mes_command(args, db, key_file, token_file),
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    say(f"- MES simulator on http://127.0.0.1:{args.mes_port}/RPC2 (log: {DEMO_DIR / 'mes.log'})")
    return process


def mes_command(args, db, key_file, token_file):
    """The simulator's command line: its secrets are files (mode 600), named, never given.

    Odoo presents the token as HTTP Basic ``odoo:<token>`` (``mes_setup.py`` sets it as the
    MES login and password); the simulator reports back with the MES user's API key.
    """
    return [
        sys.executable,
        str(SIMULATOR),
        "--host",
        "127.0.0.1",
        "--port",
        str(args.mes_port),
        "--db-file",
        str(DEMO_DIR / "mes.sqlite3"),
        "--odoo-url",
        f"http://127.0.0.1:{args.port}",
        "--odoo-db",
        db,
        "--odoo-login",
        "mes",
        "--odoo-key-file",
        str(key_file),
        "--auth-token-file",
        str(token_file),
        "--speed",
        "0.5",
    ]


def wait_for_login_page(url, process, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(f"{url}/web/login", timeout=5) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def main(argv=None):
    args = parse_args(argv)
    odoo, postgres, missing = setup(for_tests=False)
    if "wkhtmltopdf" in missing:
        say(
            "- Note: wkhtmltopdf is not installed, so Odoo shows reports (packing list, cost "
            "sheet) as HTML instead of PDF. Install it with: sudo apt-get install wkhtmltopdf"
        )
    command = OdooCommand(odoo, log_dir=DEMO_DIR, python=odoo.python)
    processes = []
    try:
        prepare_database(command, args.db, args.reset)
        mes = start_mes(command, args.db, args)
        if mes:
            processes.append(mes)
        log = DEMO_DIR / "odoo.log"
        console = open(DEMO_DIR / "odoo.console.log", "w")  # noqa: SIM115 (the server's life)
        server = subprocess.Popen(
            [
                *command.base(args.db),
                f"--http-port={args.port}",
                "--http-interface=127.0.0.1",
                "--max-cron-threads=1",
                "--no-database-list",
                f"--logfile={log}",
            ],
            stdin=subprocess.DEVNULL,
            stdout=console,
            stderr=subprocess.STDOUT,
        )
        processes.append(server)
        url = f"http://localhost:{args.port}"
        with step("Starting Odoo"):
            if not wait_for_login_page(url, server):
                raise SetupError(f"Odoo did not serve its login page on {url}", f"read {log}")
        say("")
        say(f"SBK Trade Bridge: {url}   login: admin   password: admin   database: {args.db}")
        say(f"Odoo's log: {log}; cache: {cache_dir()}. Ctrl-C stops everything.")
        if args.setup_only:
            return 0
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        server.wait()
        return server.returncode
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    process.kill()
        postgres.stop()


if __name__ == "__main__":
    sys.exit(run_main(main))
