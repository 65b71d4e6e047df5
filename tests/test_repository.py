"""The files a newcomer runs first: the Docker stack and the Odoo configuration."""

import configparser
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _compose_command():
    if (
        shutil.which("docker")
        and subprocess.run(
            ["docker", "compose", "version"], capture_output=True, check=False
        ).returncode
        == 0
    ):
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def test_docker_compose_validates():
    command = _compose_command()
    if not command:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed")
    env = dict(os.environ, POSTGRES_PASSWORD="check-only")
    result = subprocess.run(
        [*command, "config", "-q"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_docker_compose_requires_a_database_password():
    command = _compose_command()
    if not command:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed")
    env = {k: v for k, v in os.environ.items() if k != "POSTGRES_PASSWORD"}
    result = subprocess.run(
        [*command, "config", "-q"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "POSTGRES_PASSWORD" in result.stderr


def test_odoo_conf_serves_only_the_demo_database_and_holds_no_secret():
    config = configparser.ConfigParser()
    config.read(ROOT / "odoo.conf")
    options = config["options"]
    assert options["dbfilter"] == "^sbk_demo$"
    assert options["list_db"] == "False"
    assert "admin_passwd" not in options
    assert "db_password" not in options
    assert "/mnt/extra-addons" in options["addons_path"]
