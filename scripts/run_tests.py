#!/usr/bin/env python3
"""Run every test of SBK Trade Bridge against a real Odoo 18.0 and PostgreSQL.

Called by ``scripts/test`` (which picks the Python). Steps, each failing the run on error:

1. lint (ruff, and pylint-odoo for Odoo-specific checks) over the repository;
2. install checks: each addon alone, all four with and without demo data, and an uninstall,
   failing on any ERROR / CRITICAL log line or a model without access rules;
3. the addons' Odoo tests (TransactionCase, Form, HttpCase) on a fresh throwaway database;
4. each addon's ``i18n/<addon>.pot`` matches what Odoo exports (zh_CN completeness is a pytest);
5. ``pytest tests/``: pure computations, and end-to-end XML-RPC against an Odoo server started
   on the test database;
6. the post-install tests of the Odoo modules we extend (sale_stock, sale_mrp, purchase_stock,
   mrp) with our addons installed, compared with the failures recorded without them in
   ``tests/odoo_regression_baseline.txt`` (``--regression-full`` runs both).

Databases are throwaway copies of a template holding only Odoo's own modules; the template is
kept between runs (``--fresh-templates`` rebuilds it) since it holds nothing of ours.
Prints one closing line ``N passed, N failed`` and exits non-zero on any failure.
"""

import argparse
import ast
import contextlib
import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS_DIR = ROOT / "addons"
OUR_ADDONS = ["sbk_trade", "sbk_export_reservation", "sbk_mes_bridge", "sbk_landed_cost"]
REGRESSION_MODULES = ["sale_stock", "sale_mrp", "purchase_stock", "mrp"]
LOG_DIR = ROOT / ".test-logs"
# Lines that are not failures even at ERROR level: the tests' own expected noise is muted by
# Odoo's mute_logger; these come from Odoo itself during install and are harmless.
IGNORED_ERRORS = [re.compile(p) for p in (r"odoo\.tools\.translate.*no translation",)]
RESULT_RE = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")
POST_TESTS = "odoo.service.server: Starting post tests"
NO_ACCESS_RE = re.compile(r"The models? .* ha(s|ve) no access rules")


class Run:
    def __init__(self, args):
        self.args = args
        self.odoo_home = Path(os.environ.get("ODOO_HOME", "/opt/odoo"))
        default_python = self.odoo_home / ".venv" / "bin" / "python"
        self.python = os.environ.get("ODOO_PYTHON") or (
            str(default_python) if default_python.exists() else "python3"
        )
        self.passed = 0
        self.failed = 0
        self.failures = []
        self.databases = []
        LOG_DIR.mkdir(exist_ok=True)

    # -- reporting -------------------------------------------------------------------------

    def step(self, title):
        print(f"\n=== {title}", flush=True)

    def ok(self, what, count=1):
        self.passed += count
        print(f"  ok    {what}", flush=True)

    def fail(self, what, detail="", count=1):
        self.failed += count
        self.failures.append(what)
        print(f"  FAIL  {what}", flush=True)
        if detail:
            print("        " + detail.replace("\n", "\n        "), flush=True)

    # -- environment -----------------------------------------------------------------------

    def odoo_bin(self):
        return Path(os.environ.get("ODOO_BIN") or self.odoo_home / "odoo-bin")

    def addons_path(self):
        core = [self.odoo_home / "odoo" / "addons", self.odoo_home / "addons"]
        return ",".join(str(p) for p in [*core, ADDONS_DIR] if p.is_dir())

    def ensure_postgres(self):
        if subprocess.run(["pg_isready", "-q"], check=False).returncode == 0:
            return
        versions = sorted(os.listdir("/etc/postgresql")) if Path("/etc/postgresql").is_dir() else []
        if versions:
            print("PostgreSQL is down: starting it.", flush=True)
            subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "start"],
                check=False,
            )
            for _i in range(30):
                if subprocess.run(["pg_isready", "-q"], check=False).returncode == 0:
                    return
                time.sleep(1)
        sys.exit("error: PostgreSQL is not running and could not be started (pg_isready fails).")

    def ensure_test_tools(self):
        """pytest, hypothesis and ruff in Odoo's Python: the test command installs what it needs."""
        missing = [
            pkg
            for pkg, module in (
                ("pytest", "pytest"),
                ("hypothesis", "hypothesis"),
                ("ruff", "ruff"),
                # Odoo's browser tests (tours) drive Chromium through it; without it they skip.
                ("websocket-client", "websocket"),
            )
            if subprocess.run(
                [self.python, "-c", f"import {module}"], capture_output=True, check=False
            ).returncode
        ]
        if missing:
            print(f"Installing test tools into {self.python}: {', '.join(missing)}", flush=True)
            subprocess.run([self.python, "-m", "pip", "install", "-q", *missing], check=True)

    def psql(self, sql, db="postgres"):
        return subprocess.run(
            ["psql", "-X", "-q", "-t", "-A", "-d", db, "-c", sql],
            capture_output=True,
            text=True,
            check=False,
        )

    def db_exists(self, name):
        out = self.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'")
        return out.stdout.strip() == "1"

    @staticmethod
    def filestore(name):
        """Odoo's default filestore of a database (the test command passes no data_dir)."""
        return Path.home() / ".local" / "share" / "Odoo" / "filestore" / name

    def drop_db(self, name):
        subprocess.run(["dropdb", "--if-exists", "--force", name], capture_output=True, check=False)
        shutil.rmtree(self.filestore(name), ignore_errors=True)

    def copy_db(self, template, name):
        self.drop_db(name)
        subprocess.run(["createdb", "-T", template, name], check=True)
        # Attachments (menu icons, compiled assets) live in the filestore, not in the database.
        if self.filestore(template).is_dir():
            shutil.copytree(self.filestore(template), self.filestore(name))
        self.databases.append(name)

    # -- Odoo ------------------------------------------------------------------------------

    def odoo(self, db, *extra, log_name, timeout=3600):
        """Run odoo-bin to completion; return (returncode, log text)."""
        log_file = LOG_DIR / f"{log_name}.log"
        cmd = [
            self.python,
            str(self.odoo_bin()),
            f"--addons-path={self.addons_path()}",
            "-d",
            db,
            "--db-filter",
            f"^{db}$",
            "--stop-after-init",
            "--no-http" if "--test-enable" not in extra else f"--http-port={free_port()}",
            "--max-cron-threads=0",
            f"--logfile={log_file}",
            *extra,
        ]
        log_file.unlink(missing_ok=True)
        proc = subprocess.run(cmd, check=False, timeout=timeout, stdin=subprocess.DEVNULL)
        text = log_file.read_text(errors="replace") if log_file.exists() else ""
        return proc.returncode, text

    def external_dependencies(self):
        deps = set()
        for addon in OUR_ADDONS:
            manifest = ast.literal_eval((ADDONS_DIR / addon / "__manifest__.py").read_text())
            deps.update(manifest.get("depends", []))
        return sorted(deps - set(OUR_ADDONS))

    def template(self, demo):
        """A database with Odoo's own modules our addons depend on, built once and reused."""
        deps = self.external_dependencies()
        release = (self.odoo_home / "odoo" / "release.py").read_bytes()
        key = hashlib.sha1(repr((deps, demo, str(self.odoo_home), release)).encode()).hexdigest()[
            :10
        ]
        name = f"sbk_tmpl_{'demo' if demo else 'nodemo'}_{key}"
        if self.args.fresh_templates:
            self.drop_db(name)
        if self.db_exists(name):
            return name
        print(f"  building template {name} ({', '.join(deps)})", flush=True)
        building = f"{name}_building_{os.getpid()}"
        self.drop_db(building)
        extra = ["-i", ",".join(deps)]
        if not demo:
            extra.append("--without-demo=all")
        rc, log = self.odoo(building, *extra, log_name=f"template_{'demo' if demo else 'nodemo'}")
        errors = error_lines(log)
        if rc or errors:
            self.drop_db(building)
            sys.exit("error: could not build the template database:\n" + "\n".join(errors[:20]))
        if self.db_exists(name):
            # Another run built the same template meanwhile: keep theirs.
            self.drop_db(building)
            return name
        subprocess.run(
            [
                "psql",
                "-q",
                "-d",
                "postgres",
                "-c",
                f'ALTER DATABASE "{building}" RENAME TO "{name}"',
            ],
            check=True,
        )
        if self.filestore(building).is_dir():
            shutil.rmtree(self.filestore(name), ignore_errors=True)
            self.filestore(building).rename(self.filestore(name))
        return name

    # -- steps -----------------------------------------------------------------------------

    def lint(self):
        self.step("Lint (ruff, pylint-odoo)")
        proc = subprocess.run(
            [self.python, "-m", "ruff", "check", "--no-cache", "."],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode:
            self.fail("ruff check", proc.stdout[-4000:] + proc.stderr[-2000:])
        else:
            self.ok("ruff check")
        proc = subprocess.run(
            [
                self.python,
                "-m",
                "pylint",
                "--rcfile=.pylintrc",
                "--disable=missing-readme",
                *sorted(ADDONS_DIR.iterdir()),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode:
            self.fail("pylint-odoo", proc.stdout[-4000:] + proc.stderr[-2000:])
        else:
            self.ok("pylint-odoo")

    def install_checks(self, tmpl_demo, tmpl_nodemo):
        self.step("Install checks")
        for addon in self.selected_addons():
            for demo, template in ((True, tmpl_demo), (False, tmpl_nodemo)):
                label = "demo data" if demo else "without demo data"
                db = f"sbk_install_{addon}_{os.getpid()}"
                self.copy_db(template, db)
                extra = () if demo else ("--without-demo=all",)
                rc, log = self.odoo(
                    db, "-i", addon, *extra, log_name=f"install_{addon}_{int(demo)}"
                )
                self.check_log(f"{addon} installs alone ({label})", rc, log)
                self.drop_db(db)
        db = f"sbk_install_nodemo_{os.getpid()}"
        self.copy_db(tmpl_nodemo, db)
        rc, log = self.odoo(
            db, "-i", ",".join(OUR_ADDONS), "--without-demo=all", log_name="install_all_nodemo"
        )
        if self.check_log("all four install without demo data", rc, log):
            rc, log = self.odoo_shell(db, UNINSTALL_SCRIPT % OUR_ADDONS, log_name="uninstall_all")
            self.check_log("all four uninstall", rc, log, expect="UNINSTALLED")
        self.drop_db(db)

    def odoo_shell(self, db, script, log_name):
        log_file = LOG_DIR / f"{log_name}.log"
        cmd = [
            self.python,
            str(self.odoo_bin()),
            "shell",
            f"--addons-path={self.addons_path()}",
            "-d",
            db,
            "--no-http",
            "--max-cron-threads=0",
            f"--logfile={log_file}",
        ]
        log_file.unlink(missing_ok=True)
        proc = subprocess.run(cmd, input=script, text=True, capture_output=True, check=False)
        text = log_file.read_text(errors="replace") if log_file.exists() else ""
        return proc.returncode, text + proc.stdout + proc.stderr

    def check_log(self, what, rc, log, expect=None):
        errors = error_lines(log)
        if rc or errors or (expect and expect not in log):
            detail = "\n".join(errors[:15]) or f"exit code {rc}"
            self.fail(what, detail)
            return False
        self.ok(what)
        return True

    def selected_addons(self):
        return self.args.only.split(",") if self.args.only else OUR_ADDONS

    def odoo_tests(self, tmpl_demo):
        self.step("Odoo tests of our addons")
        addons = self.selected_addons()
        db = f"sbk_test_{os.getpid()}"
        self.copy_db(tmpl_demo, db)
        tags = ",".join(f"/{addon}" for addon in addons)
        rc, log = self.odoo(
            db,
            "-i",
            ",".join(addons),
            "--test-enable",
            f"--test-tags={tags}",
            "--log-level=test",
            log_name="odoo_tests",
        )
        self.count_odoo_results("our addons", rc, log)
        return db

    def count_odoo_results(self, what, rc, log):
        matches = list(RESULT_RE.finditer(log))
        match = matches[-1] if matches else None
        failing = failing_tests(log)
        if match is None:
            errors = error_lines(log)
            self.fail(
                f"Odoo tests of {what}: no test result in the log",
                "\n".join(errors[:20]) or f"exit code {rc}",
            )
            return
        failed, errored, total = (int(g) for g in match.groups())
        bad = failed + errored
        # An error in setUpClass counts as an error without counting as a test.
        total = max(total, bad)
        self.passed += total - bad
        print(f"  {total - bad} passed, {bad} failed of {total} Odoo tests ({what})", flush=True)
        if bad:
            self.failed += bad
            self.failures.extend(failing or [f"{bad} Odoo test(s) of {what}"])
            for line in failing[:40]:
                print(f"  FAIL  {line}", flush=True)
        # Errors outside the tests (a view that fails to validate, a data file that fails to
        # load) fail the run too, even though no test reports them.
        stray = error_lines(install_part(log))
        if stray:
            self.fail(f"errors while installing for the tests of {what}", "\n".join(stray[:15]))

    def translations(self, db):
        """Each addon's committed .pot holds exactly the strings Odoo exports for it now."""
        self.step("Translation templates up to date")
        check = (
            "import polib, sys\n"
            "new = {(e.msgctxt, e.msgid) for e in polib.pofile(sys.argv[1])}\n"
            "old = {(e.msgctxt, e.msgid) for e in polib.pofile(sys.argv[2])}\n"
            "print('\\n'.join(sorted(m for _c, m in new - old))[:2000])\n"
            "sys.exit(1 if new != old else 0)\n"
        )
        for addon in self.selected_addons():
            committed = ADDONS_DIR / addon / "i18n" / f"{addon}.pot"
            exported = LOG_DIR / f"{addon}.pot"
            rc, log = self.odoo(
                db, f"--i18n-export={exported}", f"--modules={addon}", log_name=f"i18n_{addon}"
            )
            if rc or not exported.exists():
                self.fail(f"{addon}: exporting its .pot", "\n".join(error_lines(log)[:10]))
                continue
            if not committed.exists():
                self.fail(f"{addon}: i18n/{addon}.pot is missing (run scripts/i18n.py)")
                continue
            proc = subprocess.run(
                [self.python, "-c", check, str(exported), str(committed)],
                capture_output=True,
                text=True,
                check=False,
            )
            if proc.returncode:
                self.fail(
                    f"{addon}: i18n/{addon}.pot is out of date (run scripts/i18n.py --db DB)",
                    "new strings:\n" + proc.stdout + proc.stderr[-500:],
                )
            else:
                self.ok(f"{addon}: i18n/{addon}.pot up to date")

    def pytest(self, db):
        self.step("pytest tests/")
        junit = LOG_DIR / "pytest.xml"
        env = dict(
            os.environ,
            SBK_TEST_DB=db or "",
            ODOO_HOME=str(self.odoo_home),
            ODOO_PYTHON=self.python,
            SBK_ADDONS_PATH=self.addons_path(),
            PYTHONDONTWRITEBYTECODE="1",
        )
        proc = subprocess.run(
            [
                self.python,
                "-m",
                "pytest",
                "-p",
                "no:cacheprovider",
                "-q",
                f"--junitxml={junit}",
                "tests",
            ],
            cwd=ROOT,
            env=env,
            check=False,
        )
        if not junit.exists():
            self.fail("pytest did not run", f"exit code {proc.returncode}")
            return
        root = ET.parse(junit).getroot()
        suites = [root] if root.tag == "testsuite" else list(root)
        total = sum(int(s.get("tests", 0)) for s in suites)
        bad = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
        skipped = sum(int(s.get("skipped", 0)) for s in suites)
        self.passed += total - bad - skipped
        if bad:
            self.failed += bad
            self.failures.append(f"{bad} pytest test(s)")
        print(
            f"  {total - bad - skipped} passed, {bad} failed, {skipped} skipped (pytest)",
            flush=True,
        )
        if proc.returncode not in (0, 1, 5):
            self.fail("pytest", f"exit code {proc.returncode}")

    def odoo_regression(self, tmpl_demo):
        """Post-install tests of the Odoo modules we extend, without then with our addons.

        A test counts as broken by us only if it passes without our addons and fails with
        them: the baseline run tells which tests already fail on this machine.
        """
        self.step("Odoo's own tests of the modules we extend, without and with our addons")
        tags = ",".join(f"/{m}" for m in REGRESSION_MODULES)
        runs = {}
        labels = ("without", "with")
        if not self.args.regression_full:
            # Known failures of these tests without our addons on this platform, recorded by a
            # full run: saves the baseline run in CI.
            lines = Path(self.args.regression_baseline).read_text().splitlines()
            runs["without"] = ({ln for ln in lines if ln and not ln.startswith("#")}, 0)
            labels = ("with",)
        for label in labels:
            db = f"sbk_regression_{label}_{os.getpid()}"
            self.copy_db(tmpl_demo, db)
            if label == "with":
                # Install first, then test: a run that installs modules runs the post-install
                # tests of the installed modules only, not those of sale_stock & co.
                rc, log = self.odoo(db, "-i", ",".join(OUR_ADDONS), log_name="regression_install")
                if not self.check_log("our addons install for the regression run", rc, log):
                    return
            rc, log = self.odoo(
                db,
                "--test-enable",
                f"--test-tags={tags}",
                "--log-level=test",
                log_name=f"odoo_regression_{label}",
                timeout=5400,
            )
            self.drop_db(db)
            if not RESULT_RE.search(log) or POST_TESTS not in log:
                self.fail(f"Odoo tests {label} our addons: no result", f"exit code {rc}")
                return
            # Loading the registry also runs those modules' at-install tests, before the
            # modules that depend on them are loaded: on a database where such a module added
            # a required column they cannot pass, with or without us (purchase's own columns
            # break mrp's at the same place). Only the post-install tests say anything.
            post = log[log.index(POST_TESTS) :]
            total = len(re.findall(r": Starting \w+\.test_\w+", post))
            runs[label] = (set(failing_tests(post)), total)
            print(
                f"  {label} our addons: {runs[label][1]} tests, {len(runs[label][0])} failing",
                flush=True,
            )
        broken = sorted(runs["with"][0] - runs["without"][0])
        total = runs["with"][1]
        self.passed += total - len(broken)
        if broken:
            self.failed += len(broken)
            self.failures.extend(f"broken by our addons: {t}" for t in broken)
            for line in broken:
                print(f"  FAIL  broken by our addons: {line}", flush=True)

    def cleanup(self):
        if self.args.keep_db:
            print(f"Kept databases: {', '.join(self.databases)}")
            return
        for db in self.databases:
            self.drop_db(db)


UNINSTALL_SCRIPT = """
modules = env['ir.module.module'].search([('name', 'in', %r)])
modules.button_immediate_uninstall()
env.cr.commit()
left = modules.filtered(lambda m: m.state != 'uninstalled')
print('UNINSTALLED' if not left else 'STILL INSTALLED: %%s' %% left.mapped('name'))
"""


def error_lines(log):
    lines = []
    for line in log.splitlines():
        if re.search(r"\d \d+ (ERROR|CRITICAL) ", line) or NO_ACCESS_RE.search(line):
            if not any(p.search(line) for p in IGNORED_ERRORS):
                lines.append(line)
    return lines


def install_part(log):
    """The log up to the first test: errors there come from installing, not from a test."""
    match = re.search(r"^.* (odoo\.addons\.\w+\.tests\S*|odoo\.tests\.\S+): ", log, re.M)
    return log[: match.start()] if match else log


def failing_tests(log):
    """'FAIL: Class.test_name' / 'ERROR: Class.test_name' lines, without the log prefix."""
    out = []
    for line in log.splitlines():
        match = re.search(r" ((?:ERROR|FAIL): \S.*)$", line)
        if match and re.search(r"\d (ERROR|CRITICAL) ", line):
            out.append(match.group(1)[:300])
    return out


def free_port():
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def docker_available():
    if not shutil.which("docker"):
        return False
    return subprocess.run(["docker", "info"], capture_output=True, check=False).returncode == 0


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--only", help="comma-separated addons to install-check and test")
    parser.add_argument("--skip-install-checks", action="store_true")
    parser.add_argument("--skip-lint", action="store_true")
    parser.add_argument("--skip-pytest", action="store_true")
    parser.add_argument(
        "--skip-odoo-regression",
        action="store_true",
        help="skip the post-install tests of " + ", ".join(REGRESSION_MODULES),
    )
    parser.add_argument(
        "--regression-baseline",
        default=str(ROOT / "tests" / "odoo_regression_baseline.txt"),
        help="file listing the tests of those modules that fail without our addons",
    )
    parser.add_argument(
        "--regression-full",
        action="store_true",
        help="run those tests without our addons too instead of reading the baseline file",
    )
    parser.add_argument("--fresh-templates", action="store_true")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    run = Run(args)
    if not run.odoo_bin().exists():
        if docker_available() and "ODOO_HOME" not in os.environ:
            print("No Odoo at ODOO_HOME: running the tests in the odoo:18.0 image.", flush=True)
            sys.exit(
                subprocess.run(
                    [
                        "docker",
                        "compose",
                        "--profile",
                        "test",
                        "run",
                        "--rm",
                        "tests",
                        *sys.argv[1:],
                    ],
                    cwd=ROOT,
                    check=False,
                ).returncode
            )
        sys.exit(
            f"error: no Odoo found at {run.odoo_bin()} and no Docker engine.\n"
            "Provide an Odoo 18.0 source tree (with odoo-bin and its Python requirements "
            "installed) and point ODOO_HOME at it (default /opt/odoo); set ODOO_PYTHON if its "
            "Python is not $ODOO_HOME/.venv/bin/python. Or install Docker and run "
            "'docker compose up'. See README.md."
        )
    run.ensure_postgres()
    run.ensure_test_tools()
    db = None
    try:
        if not args.skip_lint:
            run.lint()
        run.step("Template databases (Odoo's own modules)")
        tmpl_demo = run.template(demo=True)
        if not args.skip_install_checks:
            tmpl_nodemo = run.template(demo=False)
            run.install_checks(tmpl_demo, tmpl_nodemo)
        db = run.odoo_tests(tmpl_demo)
        run.translations(db)
        if not args.skip_pytest:
            run.pytest(db)
        if not args.skip_odoo_regression:
            run.odoo_regression(tmpl_demo)
    finally:
        run.cleanup()
    print()
    if run.failures:
        print("Failures:\n  " + "\n  ".join(run.failures[:50]))
    print(f"{run.passed} passed, {run.failed} failed")
    sys.exit(1 if run.failed else 0)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    main()
