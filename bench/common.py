"""Shared bootstrap for the benchmarks: an Odoo environment on an existing database.

Run a benchmark with Odoo's Python, from the repository root, e.g.
``/opt/odoo/.venv/bin/python bench/bench_order_to_production.py --db sbk_bench --create``:
``--create`` copies the test template (built by ``scripts/test``) and installs our addons.
"""

import argparse
import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ODOO_HOME = Path(os.environ.get("ODOO_HOME", "/opt/odoo"))
ADDONS = "sbk_trade,sbk_export_reservation,sbk_mes_bridge,sbk_landed_cost"


def addons_path():
    paths = [ODOO_HOME / "odoo" / "addons", ODOO_HOME / "addons", ROOT / "addons"]
    return ",".join(str(p) for p in paths if p.is_dir())


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
    """Copy the newest test template (Odoo's own modules) and install our addons on it."""
    out = subprocess.run(
        [
            "psql",
            "-X",
            "-t",
            "-A",
            "-d",
            "postgres",
            "-c",
            "SELECT datname FROM pg_database WHERE datname LIKE 'sbk_tmpl_demo_%' "
            "AND datname NOT LIKE '%_building' ORDER BY oid DESC LIMIT 1",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not out:
        sys.exit("No template database: run scripts/test once first.")
    subprocess.run(["dropdb", "--if-exists", "--force", db], check=True)
    subprocess.run(["createdb", "-T", out, db], check=True)
    subprocess.run(
        [
            sys.executable,
            str(ODOO_HOME / "odoo-bin"),
            f"--addons-path={addons_path()}",
            "-d",
            db,
            "-i",
            ADDONS,
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
