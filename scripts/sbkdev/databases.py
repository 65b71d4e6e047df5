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
    _run_or_fail(
        ["createdb", "-T", template, name],
        f"could not copy the database {template} to {name}",
        f"createdb copies only a template nobody is connected to: close the sessions on "
        f"{template} and run the command again",
    )
    if filestore(template).is_dir():
        try:
            shutil.copytree(filestore(template), filestore(name))
        except OSError as error:
            raise SetupError(
                f"could not copy the filestore of {template}: {error}",
                "check the free space and the rights in " + str(filestore(name).parent),
            ) from error


def rename(old, new):
    _run_or_fail(
        ["psql", "-X", "-q", "-d", "postgres", "-c", f'ALTER DATABASE "{old}" RENAME TO "{new}"'],
        f"could not rename the database {old} to {new}",
        f"run the command again (dropdb {old} removes the database left behind)",
    )
    if filestore(old).is_dir():
        shutil.rmtree(filestore(new), ignore_errors=True)
        try:
            filestore(old).rename(filestore(new))
        except OSError as error:
            raise SetupError(
                f"could not rename the filestore of {old}: {error}",
                "check the rights in " + str(filestore(new).parent),
            ) from error


def _run_or_fail(command, what, todo):
    """Run a PostgreSQL client program; its failure is a SetupError with its last message line
    (a template in use by another session, a server that went away), never a traceback."""
    try:
        proc = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)
    except (OSError, subprocess.SubprocessError) as error:
        raise SetupError(f"{what}: {error}", "is PostgreSQL installed and running?") from error
    if proc.returncode:
        lines = (proc.stderr or proc.stdout).strip().splitlines() or [
            f"exit code {proc.returncode}"
        ]
        raise SetupError(f"{what}: {lines[-1]}", todo)


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
