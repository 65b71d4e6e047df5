"""Template and throwaway databases (through the psql tools, on the server in use)."""

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from .logparse import error_lines
from .progress import SetupError, step
from .project import odoo_dependencies, shared_test_addons


def psql(sql, db="postgres"):
    return subprocess.run(
        ["psql", "-X", "-q", "-t", "-A", "-d", db, "-c", sql],
        capture_output=True,
        text=True,
        check=False,
    )


def exists(name):
    return psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'").stdout.strip() == "1"


def filestore(name):
    """Odoo's default filestore of a database (our commands pass no data_dir)."""
    return Path.home() / ".local" / "share" / "Odoo" / "filestore" / name


def drop(name):
    subprocess.run(["dropdb", "--if-exists", "--force", name], capture_output=True, check=False)
    shutil.rmtree(filestore(name), ignore_errors=True)


def copy(template, name):
    """``name`` as a copy of ``template``, its filestore (icons, compiled assets) included."""
    drop(name)
    subprocess.run(["createdb", "-T", template, name], check=True)
    if filestore(template).is_dir():
        shutil.copytree(filestore(template), filestore(name))


def rename(old, new):
    subprocess.run(
        ["psql", "-X", "-q", "-d", "postgres", "-c", f'ALTER DATABASE "{old}" RENAME TO "{new}"'],
        check=True,
    )
    if filestore(old).is_dir():
        shutil.rmtree(filestore(new), ignore_errors=True)
        filestore(old).rename(filestore(new))


def template_name(odoo, demo, modules):
    key = hashlib.sha1(repr((modules, demo, str(odoo.home), odoo.release())).encode()).hexdigest()
    return f"sbk_tmpl_{'demo' if demo else 'nodemo'}_{key[:10]}"


def template(runner, demo, fresh=False, modules=None):
    """A database with Odoo's own modules that our addons need, built once and kept.

    It holds nothing of ours, so it stays valid while our code changes; its name changes with
    the modules, the demo flag and the Odoo release.
    """
    # By default those of the addons tested together (see project.OWN_DATABASE_ADDONS).
    modules = modules or odoo_dependencies(shared_test_addons())
    name = template_name(runner.odoo, demo, modules)
    if fresh:
        drop(name)
    if exists(name):
        return name
    building = f"{name}_building_{os.getpid()}"
    drop(building)
    extra = ["-i", ",".join(modules)]
    if not demo:
        extra.append("--without-demo=all")
    label = "with" if demo else "without"
    with step(f"Building the template database {name} (Odoo's modules, {label} demo data)"):
        rc, log = runner.run(building, *extra, log_name=f"template_{label}_demo")
        errors = error_lines(log)
        if rc or errors:
            drop(building)
            raise SetupError(
                f"could not build the template database {name}:\n    "
                + "\n    ".join(errors[:20] or [f"exit code {rc}"]),
                "read the log in .test-logs/",
            )
    if exists(name):
        # Another command built the same template meanwhile: keep theirs.
        drop(building)
    else:
        rename(building, name)
    return name
