"""scripts/demo on a database of its own: the login page served, our addons installed.

Runs inside the test command (which names the Odoo it set up); creating the demo database takes
a few minutes.
"""

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from sbkdev import databases
from sbkdev.project import free_port, main_addons

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo_db():
    if not os.environ.get("SBK_TEST_DB"):
        pytest.skip("run by scripts/test (it sets Odoo up and names it)")
    name = f"sbk_demo_check_{os.getpid()}"
    databases.drop(name)
    yield name
    databases.drop(name)


def test_demo_creates_the_database_and_serves_the_login_page(demo_db):
    port, mes_port = free_port(), free_port()
    proc = subprocess.run(
        [
            str(ROOT / "scripts" / "demo"),
            "--db",
            demo_db,
            "--port",
            str(port),
            "--mes-port",
            str(mes_port),
            "--setup-only",
        ],
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert f"SBK Trade Bridge: http://localhost:{port}" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr
    installed = databases.psql(
        "SELECT name FROM ir_module_module WHERE state = 'installed' AND name LIKE 'sbk_%'",
        db=demo_db,
    ).stdout.split()
    assert set(main_addons()) <= set(installed)
    # The demo stopped its server on the way out: nothing listens any more.
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/web/login", timeout=3)


def test_the_demo_starts_the_mes_with_its_secrets_in_files_the_simulator_reads(tmp_path):
    from sbkdev import demo  # noqa: PLC0415 (imports the setup modules only this test needs)

    args = demo.parse_args(["--port", "18069", "--mes-port", "18070"])
    key_file, token_file = tmp_path / "key", tmp_path / "token"
    command = demo.mes_command(args, "sbk_demo", key_file, token_file)
    assert command[command.index("--odoo-key-file") + 1] == str(key_file)
    assert command[command.index("--auth-token-file") + 1] == str(token_file)
    assert "--no-auth" not in command
    help_text = subprocess.run(
        [sys.executable, str(demo.SIMULATOR), "--help"], capture_output=True, text=True, check=True
    ).stdout
    for option in (part for part in command if part.startswith("--")):
        assert option in help_text, option
    # Odoo presents the token with the login the simulator expects by default.
    assert '"sbk_mes_bridge.login", "odoo"' in demo.MES_SETUP.read_text()
    assert "default odoo" in " ".join(help_text.split())


def test_an_older_demo_database_installs_the_addons_it_lacks_and_updates_the_rest():
    from sbkdev import demo  # noqa: PLC0415 (imports the setup modules only this test needs)

    addons = demo.demo_addons()
    assert "sbk_demo" in addons
    older = [name for name in addons if name != "sbk_demo"]
    assert demo.split_install_update(addons, [*older, "base", "mrp"]) == (["sbk_demo"], older)
    assert demo.split_install_update(addons, addons) == ([], addons)
    assert demo.split_install_update(addons, []) == (addons, [])
    # A database that is not Odoo's (or not there) has nothing installed: everything is -i.
    assert demo.installed_modules(f"sbk_no_such_db_{os.getpid()}") == []
