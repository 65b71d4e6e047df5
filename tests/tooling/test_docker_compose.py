"""docker compose up gives the whole loop with nothing done by hand, and no secret in sight."""

import re
import subprocess
import sys
from pathlib import Path

import yaml
from sbkdev.project import demo_addons

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def command_text(service):
    parts = []
    for key in ("entrypoint", "command"):
        value = service.get(key) or []
        parts.extend([value] if isinstance(value, str) else value)
    return " ".join(parts)


def test_no_secret_is_on_a_command_line():
    for name, service in SERVICES.items():
        text = command_text(service)
        for secret in ("PASSWORD", "passwd", "--odoo-key=", "--odoo-key ", "--auth=", "token_"):
            assert secret not in text.replace("token_urlsafe", ""), (name, secret)


def test_odoo_bypasses_the_image_entrypoint_that_puts_the_password_on_its_command_line():
    assert SERVICES["odoo"]["entrypoint"][0] == "odoo"
    assert SERVICES["odoo"]["environment"]["PGPASSWORD"].startswith("${POSTGRES_PASSWORD:?")


def test_odoo_reaches_the_mes_service_and_the_mes_reaches_odoo_with_a_key_made_at_start_up():
    init = SERVICES["init"]
    assert init["environment"]["SBK_MES_URL"] == "http://mes:8070/RPC2"
    assert "mes_setup.py" in command_text(init)
    mes = command_text(SERVICES["mes"])
    assert "--odoo-url=http://odoo:8069" in mes
    assert "--odoo-key-file=" + init["environment"]["SBK_MES_ODOO_KEY_FILE"] in mes
    assert "--auth-token-file=" + init["environment"]["SBK_MES_AUTH_TOKEN_FILE"] in mes
    for name in ("odoo", "mes"):
        assert SERVICES[name]["depends_on"]["init"]["condition"] == (
            "service_completed_successfully"
        )


def test_the_script_init_runs_exists():
    assert (ROOT / "scripts" / "sbkdev" / "odoo_shell" / "mes_setup.py").is_file()


def test_env_files_are_ignored_by_git():
    assert ".env" in (ROOT / ".gitignore").read_text().splitlines()


def test_the_mes_service_uses_only_options_the_simulator_has_and_requires_a_token():
    mes = SERVICES["mes"]["command"]
    help_text = subprocess.run(
        [sys.executable, str(ROOT / "mes_simulator" / "mes_sim.py"), "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for part in mes:
        if part.startswith("--"):
            assert part.split("=")[0] in help_text, part
    assert "--no-auth" not in mes


def test_init_installs_the_demo_addons_read_from_the_manifests_demo_story_included():
    init = SERVICES["init"]
    text = command_text(init)
    assert "sbk_trade," not in text, "the list comes from the manifests, not written by hand"
    found = re.search(r"addons=\$\$\(python3 /mnt/sbk/(\S+) demo-addons\);", text)
    assert found, text
    assert '-i "$$addons" -u "$$addons"' in text
    # The script and the manifests it reads are where the container looks for them.
    mounts = {volume.split(":")[1]: volume.split(":")[0] for volume in init["volumes"]}
    assert mounts["/mnt/sbk/scripts"] == "./scripts"
    assert mounts["/mnt/sbk/addons"] == "./addons"
    listed = subprocess.run(
        [sys.executable, str(ROOT / found.group(1)), "demo-addons"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert listed.split(",") == demo_addons()
    assert "sbk_demo" in listed.split(",")
