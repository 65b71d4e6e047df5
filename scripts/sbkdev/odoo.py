"""An Odoo 18.0 to run: ``ODOO_HOME`` as given, or a source and venvs built in the cache.

Without ``ODOO_HOME`` the source is the first found of:

1. ``ODOO_SOURCE``: an archive (``.tar.xz``, ``.tar.gz``, ``.zip``), a source directory, or a git
   URL (branch ``ODOO_BRANCH``, default 18.0);
2. an archive in ``../shared/odoo/`` (next to the checkout or above it), checked against the
   ``SHA256SUMS`` beside it (for machines without GitHub);
3. a shallow clone of https://github.com/odoo/odoo, branch 18.0.

It is unpacked once into ``$XDG_CACHE_HOME/sbk-trade/odoo/<checksum>`` (default
``~/.cache/sbk-trade``), so a second run starts at once and another source builds anew. Two venvs
are built next to it, keyed by Odoo's ``requirements.txt`` and the Python version: one holding
exactly Odoo's requirements (``python-ldap`` left out: it needs libldap headers and no module of
ours uses it), which runs the demo and the install checks, and one adding the test tools of
``scripts/requirements-test.txt``, which runs the tests.
"""

import contextlib
import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .progress import SetupError, say, step
from .project import ADDONS_DIR, ROOT

GITHUB = "https://github.com/odoo/odoo"
SUPPORTED_PYTHONS = ((3, 10), (3, 11), (3, 12))
LEFT_OUT = ("python-ldap",)
# Constraints on every install into the venvs and their build environments: old sdists need
# pkg_resources (setuptools < 70); gevent 22.10 (Odoo's pin, the prefork server's websocket
# process) finds its plugins' requirements through pkg_resources, which does not find the
# dist-info of zope.interface >= 7 and zope.event >= 5.1 (named zope_interface, zope_event).
BUILD_CONSTRAINTS = "setuptools<70\nzope.interface<7\nzope.event<5.1\n"
TEST_REQUIREMENTS = ROOT / "scripts" / "requirements-test.txt"
# Bump to rebuild every cached venv (a change in how they are built).
LAYOUT = "1"


def cache_dir():
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sbk-trade"


@dataclass
class Odoo:
    """Where Odoo is and which Python runs it."""

    home: Path
    python: str
    test_python: str
    origin: str

    @property
    def odoo_bin(self):
        return Path(os.environ.get("ODOO_BIN") or self.home / "odoo-bin")

    def core_addons_paths(self):
        return [p for p in (self.home / "odoo" / "addons", self.home / "addons") if p.is_dir()]

    def addons_path(self):
        return ",".join(str(p) for p in [*self.core_addons_paths(), ADDONS_DIR])

    def release(self):
        """The text of Odoo's ``release.py`` (its version), for cache keys."""
        path = self.home / "odoo" / "release.py"
        return path.read_text() if path.exists() else str(self.odoo_bin)

    def env(self):
        """Environment for the scripts that find Odoo by these variables (benches, e2e)."""
        return {
            "ODOO_HOME": str(self.home),
            "ODOO_PYTHON": self.test_python,
            "SBK_RUNTIME_PYTHON": self.python,
            "SBK_ADDONS_PATH": self.addons_path(),
        }


# -- locks and logs --------------------------------------------------------------------------


@contextlib.contextmanager
def cache_lock(name):
    """Serialise builders of one cache entry (two commands started at once build it once)."""
    locks = cache_dir() / "locks"
    locks.mkdir(parents=True, exist_ok=True)
    with open(locks / f"{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def log_file(name):
    logs = cache_dir() / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    return logs / f"{name}.log"


def _tail(path, lines=15):
    try:
        text = Path(path).read_text(errors="replace").splitlines()
    except OSError:
        return ""
    return "\n    ".join(text[-lines:])


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# -- the source ------------------------------------------------------------------------------


def shared_archives():
    """Archives listed in a ``shared/odoo/SHA256SUMS`` beside the checkout or above it."""
    found = []
    for parent in ROOT.parents:
        sums = parent / "shared" / "odoo" / "SHA256SUMS"
        if not sums.is_file():
            continue
        for line in sums.read_text().splitlines():
            match = re.match(r"^([0-9a-f]{64})\s+\*?(\S+)$", line.strip())
            if match and (sums.parent / match.group(2)).is_file():
                found.append((sums.parent / match.group(2), match.group(1)))
    return found


def _is_git_url(spec):
    return bool(re.match(r"^(https?|ssh|git|file)://|^[\w.-]+@[\w.-]+:", spec)) or spec.endswith(
        ".git"
    )


def _ready(path):
    return (path / ".sbk-ready").is_file()


def _mark_ready(path, origin):
    (path / ".sbk-ready").write_text(origin + "\n")


def _build_once(target, origin, build):
    """``target`` made by ``build(target)`` once, under a lock; ready only once complete."""
    if not _ready(target):
        with cache_lock(target.name):
            if not _ready(target):
                shutil.rmtree(target, ignore_errors=True)
                build(target)
                _mark_ready(target, origin)
    return target, origin


def _source_tree(root):
    """The directory holding ``odoo-bin`` in an unpacked archive (its top folder, usually)."""
    if (root / "odoo-bin").is_file():
        return root
    for child in sorted(root.iterdir()):
        if child.is_dir() and (child / "odoo-bin").is_file():
            return child
    return None


def _source_from_archive(archive, expected_sha=None):
    archive = Path(archive).resolve()
    if not archive.is_file():
        raise SetupError(f"ODOO_SOURCE names no file or directory: {archive}")
    with step(f"Checking {archive.name}"):
        sha = _sha256(archive)
    if expected_sha and sha != expected_sha:
        raise SetupError(
            f"{archive} does not match its SHA256SUMS (sha256 {sha[:16]}…, expected "
            f"{expected_sha[:16]}…): the archive is damaged or was replaced",
            "copy the archive again, or set ODOO_SOURCE to another Odoo 18.0 source",
        )
    target = cache_dir() / "odoo" / f"archive-{sha[:16]}"
    return _build_once(target, f"{archive} (sha256 {sha[:16]}…)", lambda t: _unpack(archive, t))


def _unpack(archive, target):
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    with step(f"Unpacking {archive.name} into {target.parent}"):
        try:
            if zipfile.is_zipfile(archive):
                with zipfile.ZipFile(archive) as zipped:
                    zipped.extractall(partial)
            else:
                with tarfile.open(archive) as tarred:
                    try:
                        tarred.extractall(partial, filter="data")
                    except TypeError:  # Python before 3.10.12 / 3.11.4: no filters
                        tarred.extractall(partial)  # noqa: S202 (our own archive)
        except (OSError, tarfile.TarError, zipfile.BadZipFile) as error:
            shutil.rmtree(partial, ignore_errors=True)
            raise SetupError(f"could not unpack {archive}: {error}") from error
    tree = _source_tree(partial)
    if tree is None:
        shutil.rmtree(partial, ignore_errors=True)
        raise SetupError(f"{archive} holds no Odoo source tree (no odoo-bin in it)")
    tree.rename(target)
    shutil.rmtree(partial, ignore_errors=True)


def _source_from_git(url, branch):
    log = log_file("git")
    try:
        proc = subprocess.run(
            ["git", "ls-remote", url, f"refs/heads/{branch}"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as error:
        # A network that hangs (TimeoutExpired) is out of reach as much as one that refuses.
        commit, reason = None, str(error)
    else:
        commit = proc.stdout.split()[0] if proc.returncode == 0 and proc.stdout.strip() else None
        reason = proc.stderr.strip()
    if commit is None:
        # Offline: the newest source already in the cache serves (a clone, or an archive
        # unpacked by an earlier run from another checkout).
        cached = sorted(
            (p for p in (cache_dir() / "odoo").glob("*-*") if _ready(p)),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
        if cached:
            origin = (cached[0] / ".sbk-ready").read_text().strip()
            say(f"- {url} is out of reach: using the Odoo source already in {cached[0]}")
            return cached[0], f"{origin} (cached)"
        raise SetupError(
            f"no Odoo 18.0 source: {url} is out of reach ({reason[:200]}) and no "
            "archive was found in ../shared/odoo/",
            "set ODOO_SOURCE to an Odoo 18.0 archive or source directory, or ODOO_HOME to an "
            "installed Odoo 18.0",
        )
    target = cache_dir() / "odoo" / f"git-{commit[:16]}"

    def clone(target):
        with step(f"Cloning {url} ({branch}, shallow)"), open(log, "w") as out:
            proc = subprocess.run(
                ["git", "clone", "--depth", "1", "--branch", branch, url, str(target)],
                stdout=out,
                stderr=subprocess.STDOUT,
                check=False,
            )
        if proc.returncode or not (target / "odoo-bin").is_file():
            shutil.rmtree(target, ignore_errors=True)
            raise SetupError(f"cloning {url} failed:\n    {_tail(log)}", f"full log: {log}")

    return _build_once(target, f"{url} {branch} at {commit[:12]}", clone)


def find_source():
    """(source tree, description) by the order in this module's docstring."""
    spec = os.environ.get("ODOO_SOURCE", "").strip()
    branch = os.environ.get("ODOO_BRANCH", "18.0")
    if spec:
        path = Path(spec).expanduser()
        if path.is_dir():
            if not (path / "odoo-bin").is_file():
                raise SetupError(f"ODOO_SOURCE={spec} is a directory without odoo-bin")
            return path.resolve(), f"{path} (ODOO_SOURCE)"
        if _is_git_url(spec):
            return _source_from_git(spec, branch)
        return _source_from_archive(path)
    for archive, sha in shared_archives():
        if "18.0" in archive.name:
            return _source_from_archive(archive, sha)
    if not shutil.which("git"):
        raise SetupError(
            "no Odoo 18.0 source: no archive in ../shared/odoo/ and git is not installed",
            "install git (sudo apt-get install git), or set ODOO_SOURCE / ODOO_HOME",
        )
    return _source_from_git(GITHUB, branch)


# -- the venvs -------------------------------------------------------------------------------


def base_python():
    """A Python that Odoo 18.0 supports, to build the venvs with."""
    candidates = [os.environ.get("SBK_PYTHON"), sys.executable] + [
        shutil.which(f"python{major}.{minor}") for major, minor in reversed(SUPPORTED_PYTHONS)
    ]
    for candidate in filter(None, candidates):
        proc = subprocess.run(
            [candidate, "-c", "import sys, venv; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode == 0 and tuple(map(int, proc.stdout.split("."))) in SUPPORTED_PYTHONS:
            return candidate, proc.stdout.strip()
    raise SetupError(
        "Odoo 18.0 needs Python 3.10, 3.11 or 3.12 with venv; none was found "
        f"({sys.executable} is {sys.version.split()[0]})",
        "install one (sudo apt-get install python3 python3-venv python3-dev), or set SBK_PYTHON",
    )


def odoo_requirements(home):
    """Odoo's requirements.txt without what we leave out."""
    lines = (home / "requirements.txt").read_text().splitlines()
    kept = [ln for ln in lines if not ln.strip().lower().startswith(LEFT_OUT)]
    return "\n".join(kept) + "\n"


def _venv_python(venv):
    return str(venv / "bin" / "python")


def _make_venv(venv, python, requirement_files, label):
    """Create ``venv`` with ``python`` and install the requirement files into it."""
    log = log_file(venv.name)
    with step(f"Creating the venv {venv}"):
        proc = subprocess.run(
            [python, "-m", "venv", str(venv)], capture_output=True, text=True, check=False
        )
        if proc.returncode:
            shutil.rmtree(venv, ignore_errors=True)
            raise SetupError(
                f"{python} -m venv failed: {proc.stderr.strip()[-300:]}",
                "install Python's venv module: sudo apt-get install python3-venv",
            )
    constraints = venv / "sbk-build-constraints.txt"
    constraints.write_text(BUILD_CONSTRAINTS)
    env = dict(
        os.environ,
        # Applies to the isolated build environments too: old sdists need pkg_resources.
        PIP_CONSTRAINT=str(constraints),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    args = [arg for path in requirement_files for arg in ("-r", str(path))]
    with step(f"Installing {label} (log: {log})"), open(log, "w") as out:
        proc = subprocess.run(
            [_venv_python(venv), "-m", "pip", "install", *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            check=False,
        )
    if proc.returncode:
        errors = [ln for ln in Path(log).read_text(errors="replace").splitlines() if "rror" in ln]
        shutil.rmtree(venv, ignore_errors=True)
        raise SetupError(
            f"installing {label} failed:\n    " + "\n    ".join(errors[-8:] or [_tail(log)]),
            f"full log: {log}. Building psycopg2 from source needs the Debian packages "
            "build-essential python3-dev libpq-dev; install them and run again",
        )


def ensure_venvs(home, for_tests):
    """(runtime python, test python) for the Odoo source at ``home``."""
    python, version = base_python()
    requirements = odoo_requirements(home)
    key = hashlib.sha256(
        "\0".join((LAYOUT, version, requirements, BUILD_CONSTRAINTS)).encode()
    ).hexdigest()[:16]
    venvs = cache_dir() / "venv"
    venvs.mkdir(parents=True, exist_ok=True)
    runtime = venvs / f"odoo-py{version}-{key}"
    runtime_requirements = venvs / f"{runtime.name}.requirements.txt"
    runtime_requirements.write_text(requirements)
    label = "Odoo's Python requirements"
    _build_once(runtime, label, lambda v: _make_venv(v, python, [runtime_requirements], label))
    if not for_tests:
        return _venv_python(runtime), _venv_python(runtime)
    tools = TEST_REQUIREMENTS.read_text()
    test_key = hashlib.sha256((key + tools).encode()).hexdigest()[:16]
    test = venvs / f"odoo-py{version}-{key}-test-{test_key}"
    files = [runtime_requirements, TEST_REQUIREMENTS]
    label = "Odoo's Python requirements and the test tools"
    _build_once(test, label, lambda v: _make_venv(v, python, files, label))
    return _venv_python(runtime), _venv_python(test)


def _ensure_tools_in(python):
    """With ODOO_HOME: install the missing test tools into the Python that runs it."""
    missing = []
    for line in TEST_REQUIREMENTS.read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        name = re.split(r"[=<>!~\[ ;]", line)[0]
        module = {"websocket-client": "websocket", "pylint-odoo": "pylint_odoo", "PyYAML": "yaml"}
        importable = module.get(name, name.replace("-", "_"))
        if subprocess.run([python, "-c", f"import {importable}"], capture_output=True).returncode:
            missing.append(line)
    if missing:
        log = log_file("test-tools")
        with (
            step(f"Installing test tools into {python}: {', '.join(missing)}"),
            open(log, "w") as out,
        ):
            proc = subprocess.run(
                [python, "-m", "pip", "install", *missing],
                stdout=out,
                stderr=subprocess.STDOUT,
                check=False,
            )
        if proc.returncode:
            raise SetupError(f"installing the test tools into {python} failed", f"log: {log}")


def get_odoo(for_tests=False):
    """The Odoo to run, set up if need be (see the module's docstring)."""
    home = os.environ.get("ODOO_HOME")
    if home:
        home = Path(home)
        odoo_bin = Path(os.environ.get("ODOO_BIN") or home / "odoo-bin")
        if not odoo_bin.is_file():
            raise SetupError(
                f"ODOO_HOME={home} holds no odoo-bin",
                "point ODOO_HOME at an Odoo 18.0 source tree, or unset it to let the scripts "
                "set Odoo up in the cache",
            )
        default = home / ".venv" / "bin" / "python"
        python = os.environ.get("ODOO_PYTHON") or (str(default) if default.exists() else "python3")
        if for_tests:
            _ensure_tools_in(python)
        return Odoo(home, python, python, f"ODOO_HOME={home}")
    home, origin = find_source()
    python, test_python = ensure_venvs(home, for_tests)
    return Odoo(home, python, test_python, origin)
