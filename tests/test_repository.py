"""The Odoo configuration a newcomer runs with (docker-compose: tests/tooling)."""

import configparser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_odoo_conf_serves_only_the_demo_database_and_holds_no_secret():
    config = configparser.ConfigParser()
    config.read(ROOT / "odoo.conf")
    options = config["options"]
    assert options["dbfilter"] == "^sbk_demo$"
    assert options["list_db"] == "False"
    assert "admin_passwd" not in options
    assert "db_password" not in options
    assert "/mnt/extra-addons" in options["addons_path"]
