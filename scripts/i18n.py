#!/usr/bin/env python3
"""Regenerate each addon's ``i18n/<addon>.pot`` and merge it into ``i18n/zh_CN.po``.

Usage: ``$ODOO_PYTHON scripts/i18n.py --db DB`` where DB has our four addons installed (e.g.
``scripts/test --keep-db`` leaves one). Prints how many strings of each addon still lack a
Chinese translation; the test command fails while any does.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
ODOO_HOME = Path(os.environ.get("ODOO_HOME", "/opt/odoo"))
ADDONS = ["sbk_trade", "sbk_export_reservation", "sbk_mes_bridge", "sbk_landed_cost"]


def export_pot(db, addon, target):
    paths = [ODOO_HOME / "odoo" / "addons", ODOO_HOME / "addons", ROOT / "addons"]
    subprocess.run(
        [
            sys.executable,
            str(ODOO_HOME / "odoo-bin"),
            "--addons-path=" + ",".join(str(p) for p in paths if p.is_dir()),
            "-d",
            db,
            f"--i18n-export={target}",
            f"--modules={addon}",
            "--stop-after-init",
            "--no-http",
            "--log-level=warn",
        ],
        check=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True)
    parser.add_argument("--addons", default=",".join(ADDONS))
    args = parser.parse_args()
    for addon in args.addons.split(","):
        i18n = ROOT / "addons" / addon / "i18n"
        i18n.mkdir(exist_ok=True)
        pot_path = i18n / f"{addon}.pot"
        with tempfile.TemporaryDirectory() as tmp:
            exported = Path(tmp) / f"{addon}.pot"
            export_pot(args.db, addon, exported)
            pot_path.write_text(exported.read_text())
        pot = polib.pofile(str(pot_path))
        po_path = i18n / "zh_CN.po"
        if po_path.exists():
            po = polib.pofile(str(po_path))
        else:
            po = polib.POFile()
            po.metadata = dict(pot.metadata, Language="zh_CN")
        po.merge(pot)
        po.metadata["Language"] = "zh_CN"
        po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
        po.save(str(po_path))
        missing = [e.msgid for e in po if not e.msgstr and not e.obsolete]
        print(f"{addon}: {len(pot)} strings, {len(missing)} without a zh_CN translation")


if __name__ == "__main__":
    main()
