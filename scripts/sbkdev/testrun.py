"""Run every test of SBK Trade Bridge against a real Odoo 18.0 and PostgreSQL (scripts/test).

Steps, each failing the run on error:

0. setup: Odoo (ODOO_HOME, or set up in the cache: see ``sbkdev.odoo``), PostgreSQL, and the
   Debian programs the tests need (wkhtmltopdf, CJK fonts, pdftotext, Chromium);
1. lint (ruff, and pylint-odoo for Odoo-specific checks) over the repository;
2. install checks, with the Python that holds exactly Odoo's requirements: each addon alone, with
   and without demo data, all of them without demo data, and an uninstall; any ERROR / CRITICAL
   log line or a model without access rules fails;
3. the addons' Odoo tests (TransactionCase, Form, HttpCase, tours) on a fresh throwaway database;
4. each addon's ``i18n/<addon>.pot`` matches what Odoo exports (zh_CN completeness is a pytest);
5. ``pytest tests/``: pure computations, tooling, and end-to-end XML-RPC against an Odoo server
   started on the test database;
6. the post-install tests of the Odoo modules we extend (sale_stock, sale_mrp, purchase_stock,
   mrp) with our addons installed, compared with the failures recorded without them in
   ``tests/odoo_regression_baseline.txt`` (``--regression-full`` runs both).

Databases are throwaway copies of templates holding only Odoo's own modules; the templates are
kept between runs (``--fresh-templates`` rebuilds them) since they hold nothing of ours.
Prints one closing line ``N passed, N failed`` and exits non-zero on any failure.
"""

import argparse
import os
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from . import databases, logparse, system
from .odoo import get_odoo, log_file
from .postgres import ensure_postgres
from .progress import run_main, say
from .project import (
    ADDONS_DIR,
    LOG_DIR,
    OWN_DATABASE_ADDONS,
    REGRESSION_MODULES,
    ROOT,
    main_addons,
    odoo_dependencies,
    our_addons,
    own_database_install,
    product_addons,
)
from .server import OdooCommand

UNINSTALL_SCRIPT = """
modules = env['ir.module.module'].search([('name', 'in', %r)])
modules.button_immediate_uninstall()
env.cr.commit()
left = modules.filtered(lambda m: m.state != 'uninstalled')
print('UNINSTALLED' if not left else 'STILL INSTALLED: %%s' %% left.mapped('name'))
"""

POT_CHECK = (
    "import polib, sys\n"
    "new = {(e.msgctxt, e.msgid) for e in polib.pofile(sys.argv[1])}\n"
    "old = {(e.msgctxt, e.msgid) for e in polib.pofile(sys.argv[2])}\n"
    "print('\\n'.join(sorted(m for _c, m in new - old))[:2000])\n"
    "sys.exit(1 if new != old else 0)\n"
)


class Report:
    """Counts and prints what passed and failed."""

    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.failures = []

    @staticmethod
    def section(title):
        say(f"\n=== {title}")

    def ok(self, what, count=1):
        self.passed += count
        say(f"  ok    {what}")

    def fail(self, what, detail="", count=1):
        self.failed += count
        self.failures.append(what)
        say(f"  FAIL  {what}")
        if detail:
            say("        " + detail.replace("\n", "\n        "))

    def check_log(self, what, rc, log, expect=None):
        errors = logparse.error_lines(log)
        if rc or errors or (expect and expect not in log):
            self.fail(what, "\n".join(errors[:15]) or f"exit code {rc}")
            return False
        self.ok(what)
        return True

    def odoo_results(self, what, rc, log):
        result = logparse.test_result(log)
        failing = logparse.failing_tests(log)
        if result is None:
            errors = logparse.error_lines(log)
            self.fail(
                f"Odoo tests of {what}: no test result in the log",
                "\n".join(errors[:20]) or f"exit code {rc}",
            )
            return
        failed, errored, total = result
        bad = failed + errored
        # An error in setUpClass counts as an error without counting as a test.
        total = max(total, bad)
        self.passed += total - bad
        say(f"  {total - bad} passed, {bad} failed of {total} Odoo tests ({what})")
        if bad:
            self.failed += bad
            self.failures.extend(failing or [f"{bad} Odoo test(s) of {what}"])
            for line in failing[:40]:
                say(f"  FAIL  {line}")
        # Errors outside the tests (a view that fails to validate, a data file that fails to
        # load) fail the run too, even though no test reports them.
        stray = logparse.error_lines(logparse.install_part(log))
        if stray:
            self.fail(f"errors while installing for the tests of {what}", "\n".join(stray[:15]))


class TestRun:
    def __init__(self, args, odoo):
        self.args = args
        self.odoo = odoo
        self.report = Report()
        self.command = OdooCommand(odoo)
        # Installing runs on exactly Odoo's requirements: proof that nothing else is needed.
        self.runtime_command = self.command.with_python(odoo.python)
        self.databases = []

    def addons(self):
        return self.args.only.split(",") if self.args.only else our_addons()

    def throwaway(self, template, label):
        name = f"sbk_{label}_{os.getpid()}"
        databases.copy(template, name)
        self.databases.append(name)
        return name

    def lint(self):
        self.report.section("Lint (ruff, pylint-odoo)")
        addons = sorted(p for p in ADDONS_DIR.iterdir() if (p / "__manifest__.py").exists())
        for label, args in (
            ("ruff check", ["ruff", "check", "--no-cache", "."]),
            ("pylint-odoo", ["pylint", "--rcfile=.pylintrc", "--disable=missing-readme", *addons]),
        ):
            proc = subprocess.run(
                [self.odoo.test_python, "-m", *args],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=False,
            )
            if proc.returncode:
                self.report.fail(label, proc.stdout[-4000:] + proc.stderr[-2000:])
            else:
                self.report.ok(label)

    def install_checks(self, tmpl_demo, tmpl_nodemo):
        self.report.section(f"Install checks (on exactly Odoo's requirements: {self.odoo.python})")
        run = self.runtime_command.run
        for addon in self.addons():
            for demo, template in ((True, tmpl_demo), (False, tmpl_nodemo)):
                label = "demo data" if demo else "without demo data"
                db = self.throwaway(template, f"install_{addon}")
                extra = () if demo else ("--without-demo=all",)
                rc, log = run(db, "-i", addon, *extra, log_name=f"install_{addon}_{int(demo)}")
                self.report.check_log(f"{addon} installs alone ({label})", rc, log)
                databases.drop(db)
        db = self.throwaway(tmpl_nodemo, "install_all")
        addons = product_addons()
        rc, log = run(db, "-i", ",".join(addons), "--without-demo=all", log_name="install_all")
        if self.report.check_log("all our addons install without demo data", rc, log):
            rc, log = self.runtime_command.shell(
                db, UNINSTALL_SCRIPT % addons, log_name="uninstall_all"
            )
            self.report.check_log("all our addons uninstall", rc, log, expect="UNINSTALLED")
        databases.drop(db)

    def odoo_tests(self, tmpl_demo):
        self.report.section("Odoo tests of our addons")
        addons = [name for name in self.addons() if name not in OWN_DATABASE_ADDONS]
        if not addons:
            # --only sbk_demo: an empty -i would run the post-install tests of every module.
            return None
        db = self.throwaway(tmpl_demo, "test")
        tags = ",".join(f"/{addon}" for addon in addons)
        rc, log = self.command.run(
            db,
            "-i",
            ",".join(addons),
            "--test-enable",
            f"--test-tags={tags}",
            "--log-level=test",
            log_name="odoo_tests",
        )
        self.report.odoo_results("our addons", rc, log)
        return db

    def own_database_tests(self, addon, template):
        """``addon``'s tests on a database of its own (see project.OWN_DATABASE_ADDONS)."""
        self.report.section(f"Odoo tests of {addon} (on a database of its own)")
        db = self.throwaway(template, f"own_{addon}")
        rc, log = self.command.run(
            db,
            "-i",
            ",".join(own_database_install(addon)),
            "--test-enable",
            f"--test-tags=/{addon}",
            "--log-level=test",
            log_name=f"odoo_tests_{addon}",
        )
        self.report.odoo_results(addon, rc, log)
        self.translations(db, [addon])
        databases.drop(db)

    def translations(self, db, addons=None):
        """Each addon's committed .pot holds exactly the strings Odoo exports for it now."""
        self.report.section("Translation templates up to date")
        for addon in addons or [a for a in self.addons() if a not in OWN_DATABASE_ADDONS]:
            committed = ADDONS_DIR / addon / "i18n" / f"{addon}.pot"
            exported = LOG_DIR / f"{addon}.pot"
            rc, log = self.command.run(
                db, f"--i18n-export={exported}", f"--modules={addon}", log_name=f"i18n_{addon}"
            )
            if rc or not exported.exists():
                self.report.fail(
                    f"{addon}: exporting its .pot", "\n".join(logparse.error_lines(log)[:10])
                )
                continue
            if not committed.exists():
                self.report.fail(f"{addon}: i18n/{addon}.pot is missing (run scripts/i18n.py)")
                continue
            proc = subprocess.run(
                [self.odoo.test_python, "-c", POT_CHECK, str(exported), str(committed)],
                capture_output=True,
                text=True,
                check=False,
            )
            if proc.returncode:
                self.report.fail(
                    f"{addon}: i18n/{addon}.pot is out of date (run scripts/i18n.py --db DB)",
                    "new strings:\n" + proc.stdout + proc.stderr[-500:],
                )
            else:
                self.report.ok(f"{addon}: i18n/{addon}.pot up to date")

    def pytest(self, db):
        self.report.section("pytest tests/")
        junit = LOG_DIR / "pytest.xml"
        junit.unlink(missing_ok=True)
        env = dict(os.environ, **self.odoo.env(), SBK_TEST_DB=db or "", PYTHONDONTWRITEBYTECODE="1")
        proc = subprocess.run(
            [
                self.odoo.test_python,
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
            self.report.fail("pytest did not run", f"exit code {proc.returncode}")
            return
        root = ET.parse(junit).getroot()
        suites = [root] if root.tag == "testsuite" else list(root)
        total = sum(int(s.get("tests", 0)) for s in suites)
        bad = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
        skipped = sum(int(s.get("skipped", 0)) for s in suites)
        self.report.passed += total - bad - skipped
        if bad:
            self.report.failed += bad
            self.report.failures.append(f"{bad} pytest test(s)")
        say(f"  {total - bad - skipped} passed, {bad} failed, {skipped} skipped (pytest)")
        if proc.returncode not in (0, 1, 5):
            self.report.fail("pytest", f"exit code {proc.returncode}")

    def odoo_regression(self, template):
        """Post-install tests of the Odoo modules we extend, without then with our addons.

        A test counts as broken by us only if it passes without our addons and fails with
        them: the baseline says which tests already fail on this platform.
        """
        self.report.section(
            "Odoo's own tests of the modules we extend, without and with our addons"
        )
        tags = ",".join(f"/{m}" for m in REGRESSION_MODULES)
        runs = {}
        labels = ("without", "with")
        if not self.args.regression_full:
            lines = Path(self.args.regression_baseline).read_text().splitlines()
            runs["without"] = ({ln for ln in lines if ln and not ln.startswith("#")}, 0)
            labels = ("with",)
        for label in labels:
            db = self.throwaway(template, f"regression_{label}")
            if label == "with":
                # Install first, then test: a run that installs modules runs the post-install
                # tests of the installed modules only, not those of sale_stock & co.
                rc, log = self.command.run(
                    db, "-i", ",".join(main_addons()), log_name="regression_install"
                )
                if not self.report.check_log("our addons install for the regression run", rc, log):
                    return
            rc, log = self.command.run(
                db,
                "--test-enable",
                f"--test-tags={tags}",
                "--log-level=test",
                log_name=f"odoo_regression_{label}",
                timeout=5400,
            )
            post = logparse.post_install_part(log)
            if logparse.test_result(log) is None or post is None:
                databases.drop(db)
                self.report.fail(f"Odoo tests {label} our addons: no result", f"exit code {rc}")
                return
            # Loading the registry also runs those modules' at-install tests, before the
            # modules that depend on them are loaded: only the post-install tests say anything.
            failing = set(logparse.failing_tests(post))
            if label == "with":
                failing -= self.passing_when_run_again(db, failing - runs["without"][0])
            databases.drop(db)
            runs[label] = (failing, logparse.started_tests(post))
            say(f"  {label} our addons: {runs[label][1]} tests, {len(runs[label][0])} failing")
        broken = sorted(runs["with"][0] - runs["without"][0])
        total = runs["with"][1]
        self.report.passed += total - len(broken)
        if broken:
            self.report.failed += len(broken)
            self.report.failures.extend(f"broken by our addons: {t}" for t in broken)
            for line in broken:
                say(f"  FAIL  broken by our addons: {line}")

    def passing_when_run_again(self, db, failing):
        """Of the tests that failed with our addons only, those that pass when run again alone
        on the same database: Odoo's browser tours can time out on a loaded machine. Each is
        printed; a test that fails again stays broken."""
        tags = logparse.test_tags(failing)
        if not tags:
            return set()
        rc, log = self.command.run(
            db,
            "--test-enable",
            f"--test-tags={','.join(tags)}",
            "--log-level=test",
            log_name="odoo_regression_again",
            timeout=1800,
        )
        if logparse.test_result(log) is None:
            return set()
        again = {logparse.test_name(line) for line in logparse.failing_tests(log)}
        passing = {line for line in failing if logparse.test_name(line) not in again}
        for line in sorted(passing):
            say(f"  note  failed once, passed when run again alone: {line}")
        return passing

    def cleanup(self):
        if self.args.keep_db:
            say(f"Kept databases: {', '.join(self.databases)}")
            return
        for db in self.databases:
            databases.drop(db)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        prog="scripts/test", description=__doc__, formatter_class=argparse.RawTextHelpFormatter
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
    return parser.parse_args(argv)


def setup(for_tests=True):
    """Odoo, PostgreSQL and the Debian programs: the setup every command shares."""
    say("Setup")
    odoo = get_odoo(for_tests=for_tests)
    say(f"- Odoo: {odoo.origin}")
    say(f"- Python: {odoo.python}" + ("" if odoo.test_python == odoo.python else " (runtime)"))
    if odoo.test_python != odoo.python:
        say(f"- Python: {odoo.test_python} (tests)")
    programs = system.TEST_PROGRAMS if for_tests else system.DEMO_PROGRAMS
    missing = system.ensure_programs(programs, required=for_tests, log_file=log_file("apt"))
    postgres = ensure_postgres()
    say(f"- PostgreSQL: {postgres.description}")
    return odoo, postgres, missing


def main(argv=None):
    args = parse_args(argv)
    odoo, postgres, _missing = setup(for_tests=True)
    run = TestRun(args, odoo)
    try:
        if not args.skip_lint:
            run.lint()
        run.report.section("Template databases (Odoo's own modules)")
        template = run.runtime_command
        tmpl_demo = databases.template(template, demo=True, fresh=args.fresh_templates)
        say(f"  {tmpl_demo}")
        if not args.skip_install_checks:
            tmpl_nodemo = databases.template(template, demo=False, fresh=args.fresh_templates)
            say(f"  {tmpl_nodemo}")
            run.install_checks(tmpl_demo, tmpl_nodemo)
        db = run.odoo_tests(tmpl_demo)
        if db:
            run.translations(db)
        for addon in OWN_DATABASE_ADDONS:
            if addon in run.addons():
                own_template = databases.template(
                    template,
                    demo=True,
                    fresh=False,
                    modules=odoo_dependencies(own_database_install(addon)),
                )
                run.own_database_tests(addon, own_template)
        if not args.skip_pytest:
            run.pytest(db)
        if not args.skip_odoo_regression:
            regression_modules = odoo_dependencies(main_addons())
            tmpl_regression = databases.template(
                template, demo=True, fresh=False, modules=regression_modules
            )
            run.odoo_regression(tmpl_regression)
    finally:
        run.cleanup()
        postgres.stop()
    report = run.report
    say("")
    if report.failures:
        say("Failures:\n  " + "\n  ".join(report.failures[:50]))
    say(f"{report.passed} passed, {report.failed} failed")
    return 1 if report.failed else 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(run_main(main))
