"""Shared bootstrap for the benchmarks: an Odoo environment on a database of our addons.

Run a benchmark from the repository root with any Python 3, e.g.
``python3 bench/bench_order_to_production.py --create``: importing this module sets Odoo up as
the test command does (``scripts/sbkdev``) and runs the bench again with Odoo's Python.
``--create`` (re)creates the database (default ``sbk_bench``) from the test template and
installs our addons.
"""

import argparse
import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from sbkdev import databases  # noqa: E402 (after the path above)
from sbkdev.odoo import get_odoo  # noqa: E402
from sbkdev.postgres import ensure_postgres  # noqa: E402
from sbkdev.progress import SetupError  # noqa: E402
from sbkdev.project import main_addons  # noqa: E402
from sbkdev.server import OdooCommand  # noqa: E402


def _bootstrap():
    """The Odoo to bench; re-executes this bench with Odoo's Python when another one runs it."""
    try:
        odoo = get_odoo(for_tests=os.environ.get("SBK_BENCH_CHILD") != "1")
        ensure_postgres()
    except SetupError as error:
        sys.exit(f"error: {error}")
    if os.environ.get("SBK_BENCH_CHILD") != "1":
        env = dict(os.environ, **odoo.env(), SBK_BENCH_CHILD="1")
        os.execve(odoo.test_python, [odoo.test_python, *sys.argv], env)
    return odoo


ODOO = _bootstrap()
ODOO_HOME = ODOO.home


def addons_path():
    return ODOO.addons_path()


def parser(description):
    result = argparse.ArgumentParser(description=description)
    result.add_argument("--db", default="sbk_bench", help="database with our addons installed")
    result.add_argument(
        "--create",
        action="store_true",
        help="(re)create the database from the test template and install our addons",
    )
    return result


def create_database(db):
    """Copy the test template (Odoo's own modules) and install our addons on it."""
    command = OdooCommand(ODOO, python=ODOO.python)
    template = databases.template(command, demo=True)
    databases.copy(template, db)
    subprocess.run(
        [
            *command.base(db),
            "-i",
            ",".join(main_addons()),
            "--stop-after-init",
            "--no-http",
            "--log-level=warn",
        ],
        check=True,
    )


def environment(db):
    """Open a registry on ``db``; return (odoo module, registry)."""
    sys.path.insert(0, str(ODOO_HOME))
    import odoo  # noqa: PLC0415 (Odoo is importable only once its path is known)

    odoo.tools.config.parse_config([f"--addons-path={addons_path()}", "-d", db, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(db)
    return odoo, registry


@contextlib.contextmanager
def measure(cr, label, results):
    """Time a block and count its SQL queries (``cr.sql_log_count``)."""
    queries = cr.sql_log_count
    start = time.perf_counter()
    yield
    elapsed = time.perf_counter() - start
    results[label] = {"seconds": elapsed, "queries": cr.sql_log_count - queries}
    print(f"  {label:<55} {elapsed:8.2f} s {cr.sql_log_count - queries:8d} queries", flush=True)
