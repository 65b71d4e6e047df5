"""The setup path shared by scripts/demo, scripts/test, the benches and the e2e tests."""

import hashlib
import io
import os
import subprocess
import tarfile
from pathlib import Path

import pytest
from sbkdev import databases
from sbkdev import odoo as setup
from sbkdev.progress import SetupError, run_main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    for name in ("ODOO_HOME", "ODOO_SOURCE", "ODOO_BIN", "ODOO_PYTHON"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "cache" / "sbk-trade"


def make_archive(path, requirements="pytz\npython-ldap==3.4.0 ; sys_platform != 'win32'\n"):
    """A tiny stand-in for Odoo's source archive: odoo-18.0/odoo-bin and requirements.txt."""
    with tarfile.open(path, "w:gz") as tar:
        for name, text in (
            ("odoo-18.0/odoo-bin", "#!/usr/bin/env python3\n"),
            ("odoo-18.0/requirements.txt", requirements),
            ("odoo-18.0/odoo/release.py", "version_info = (18, 0)\n"),
        ):
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_an_archive_is_unpacked_once_into_the_cache_keyed_by_its_checksum(cache, tmp_path):
    archive = make_archive(tmp_path / "odoo.tar.gz")
    os.environ["ODOO_SOURCE"] = str(archive)
    home, origin = setup.find_source()
    sha = hashlib.sha256(archive.read_bytes()).hexdigest()
    assert home == cache / "odoo" / f"archive-{sha[:16]}"
    assert (home / "odoo-bin").is_file()
    assert sha[:16] in origin
    stamp = (home / ".sbk-ready").stat().st_mtime_ns
    assert setup.find_source()[0] == home
    assert (home / ".sbk-ready").stat().st_mtime_ns == stamp, "a second run unpacks nothing"
    # A changed source builds anew, beside the first.
    make_archive(archive, requirements="pytz\nlxml\n")
    other, _origin = setup.find_source()
    assert other != home and (other / "odoo-bin").is_file()


def test_a_damaged_shared_archive_is_refused_with_a_clear_message(cache, tmp_path):
    archive = make_archive(tmp_path / "odoo-18.0.tar.gz")
    with pytest.raises(SetupError, match="does not match its SHA256SUMS"):
        setup._source_from_archive(archive, expected_sha="0" * 64)


def test_an_archive_without_odoo_is_refused(cache, tmp_path):
    archive = tmp_path / "empty.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("readme.txt")
        tar.addfile(info, io.BytesIO(b""))
    os.environ["ODOO_SOURCE"] = str(archive)
    with pytest.raises(SetupError, match="no odoo-bin"):
        setup.find_source()


def test_a_source_directory_is_used_in_place(cache, tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "odoo-bin").write_text("")
    os.environ["ODOO_SOURCE"] = str(tmp_path / "src")
    assert setup.find_source()[0] == (tmp_path / "src").resolve()


def test_an_unreachable_git_source_says_what_to_do(cache):
    os.environ["ODOO_SOURCE"] = "file:///nonexistent/odoo.git"
    with pytest.raises(SetupError) as error:
        setup.find_source()
    assert "out of reach" in str(error.value)
    assert "ODOO_SOURCE" in error.value.todo


def test_git_urls_are_told_from_archives():
    assert setup._is_git_url("https://github.com/odoo/odoo")
    assert setup._is_git_url("git@github.com:odoo/odoo.git")
    assert setup._is_git_url("/srv/odoo.git")
    assert not setup._is_git_url("/srv/odoo-18.0.tar.xz")


def test_requirements_leave_python_ldap_out(tmp_path):
    make_archive(tmp_path / "a.tar.gz")
    with tarfile.open(tmp_path / "a.tar.gz") as tar:
        tar.extractall(tmp_path / "x")
    text = setup.odoo_requirements(tmp_path / "x" / "odoo-18.0")
    assert "pytz" in text and "ldap" not in text


def test_odoo_home_without_odoo_bin_is_a_clear_error(cache, tmp_path):
    os.environ["ODOO_HOME"] = str(tmp_path)
    with pytest.raises(SetupError, match="holds no odoo-bin"):
        setup.get_odoo()


def test_the_shared_archive_is_found_beside_the_checkout():
    found = setup.shared_archives()
    if not any((p / "shared" / "odoo" / "SHA256SUMS").exists() for p in ROOT.parents):
        pytest.skip("no shared/odoo/ beside this checkout")
    assert found and all(path.is_file() and len(sha) == 64 for path, sha in found)


def test_a_failing_setup_prints_one_message_and_no_traceback(tmp_path):
    env = dict(os.environ, ODOO_HOME=str(tmp_path / "nowhere"))
    proc = subprocess.run(
        [str(ROOT / "scripts" / "test"), "--skip-lint"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "error: ODOO_HOME=" in proc.stderr and "holds no odoo-bin" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_both_commands_explain_their_options_without_setting_anything_up():
    for command in ("test", "demo"):
        proc = subprocess.run(
            [str(ROOT / "scripts" / command), "--help"],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
        assert proc.returncode == 0, proc.stderr
        assert "usage: scripts/" + command in proc.stdout


def test_the_runtime_python_holds_only_odoos_requirements():
    """The install checks run on it: our addons need nothing Odoo does not require."""
    python = os.environ.get("SBK_RUNTIME_PYTHON")
    if not python:
        pytest.skip("run by scripts/test, which names the runtime Python")
    if python == os.environ.get("ODOO_PYTHON"):
        pytest.skip("ODOO_HOME is given: its Python is the user's")
    # Not among Odoo's requirements: a manifest naming a hyphenated package needs it.
    proc = subprocess.run([python, "-c", "import packaging"], capture_output=True, check=False)
    assert proc.returncode != 0
    proc = subprocess.run([python, "-c", "import pytest"], capture_output=True, check=False)
    assert proc.returncode != 0


def test_the_prefork_servers_gevent_process_starts():
    """Odoo's multi-process server runs its websocket process on gevent, which loads its
    plugins through pkg_resources: the venv's packages must be found by it."""
    python = os.environ.get("SBK_RUNTIME_PYTHON")
    if not python:
        pytest.skip("run by scripts/test, which names the runtime Python")
    if python == os.environ.get("ODOO_PYTHON"):
        pytest.skip("ODOO_HOME is given: its Python is the user's")
    proc = subprocess.run(
        [python, "-c", "import gevent.monkey; gevent.monkey.patch_all()"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-500:]


def test_a_git_source_that_does_not_answer_is_out_of_reach_not_a_traceback(cache, monkeypatch):
    def hang(command, **kwargs):
        raise subprocess.TimeoutExpired(command, kwargs.get("timeout"))

    monkeypatch.setattr(setup.subprocess, "run", hang)
    with pytest.raises(SetupError, match="out of reach .*timed out after 60 seconds"):
        setup._source_from_git("https://example.invalid/odoo.git", "18.0")


def test_a_failing_database_copy_or_rename_is_a_one_line_setup_error():
    missing = f"sbk_no_such_db_{os.getpid()}"
    with pytest.raises(SetupError, match=f"could not copy the database {missing} to ") as error:
        databases.copy(missing, f"{missing}_copy")
    assert "\n" not in error.value.what and missing in error.value.todo
    with pytest.raises(SetupError, match=f"could not rename the database {missing} to "):
        databases.rename(missing, f"{missing}_new")


@pytest.mark.parametrize(
    "error, message",
    [
        (
            subprocess.CalledProcessError(1, ["createdb", "-T", "a", "b"], stderr="busy\n"),
            "error: createdb -T failed: busy",
        ),
        (subprocess.TimeoutExpired(["git", "ls-remote"], 60), "did not answer within 60 s"),
        (FileNotFoundError(2, "No such file or directory", "psql"), "No such file"),
    ],
)
def test_a_program_that_fails_outside_a_step_is_one_message_and_exit_code_2(error, message, capsys):
    def main():
        raise error

    with pytest.raises(SystemExit) as exit_:
        run_main(main)
    assert exit_.value.code == 2
    stderr = capsys.readouterr().err
    assert message in stderr and "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1
