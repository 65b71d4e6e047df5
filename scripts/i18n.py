#!/usr/bin/env python3
"""Regenerate each addon's ``i18n/<addon>.pot`` and merge it into ``i18n/zh_CN.po``.

Usage: ``scripts/i18n.py --db DB`` where DB has our addons installed (``scripts/test --keep-db``
leaves one; so does ``scripts/demo``). Uses the Odoo that the test command sets up. Prints how
many strings of each addon still lack a Chinese translation; the test command fails while any
does.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sbkdev.odoo import get_odoo  # noqa: E402 (after the path above)
from sbkdev.postgres import ensure_postgres  # noqa: E402
from sbkdev.progress import run_main  # noqa: E402
from sbkdev.project import ADDONS_DIR, our_addons  # noqa: E402
from sbkdev.server import OdooCommand  # noqa: E402


def merge(pot_path, po_path):
    import polib  # noqa: PLC0415 (Odoo's Python has it; see main)

    pot = polib.pofile(str(pot_path))
    if po_path.exists():
        po = polib.pofile(str(po_path))
    else:
        po = polib.POFile()
        po.metadata = dict(pot.metadata, Language="zh_CN")
    po.merge(pot)
    po.metadata["Language"] = "zh_CN"
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.save(str(po_path))
    return len(pot), [e.msgid for e in po if not e.msgstr and not e.obsolete]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True)
    parser.add_argument("--addons", default=",".join(our_addons()))
    args = parser.parse_args()
    odoo = get_odoo(for_tests=False)
    if os.environ.get("SBK_I18N_CHILD") != "1":
        try:
            import polib  # noqa: F401, PLC0415
        except ImportError:
            # polib is one of Odoo's requirements: run again with Odoo's Python.
            env = dict(os.environ, SBK_I18N_CHILD="1")
            return subprocess.run([odoo.python, __file__, *sys.argv[1:]], env=env).returncode
    ensure_postgres()
    command = OdooCommand(odoo, python=odoo.python)
    for addon in args.addons.split(","):
        i18n = ADDONS_DIR / addon / "i18n"
        i18n.mkdir(exist_ok=True)
        pot_path = i18n / f"{addon}.pot"
        with tempfile.TemporaryDirectory() as tmp:
            exported = Path(tmp) / f"{addon}.pot"
            rc, _log = command.run(
                args.db,
                f"--i18n-export={exported}",
                f"--modules={addon}",
                "--log-level=warn",
                log_name=f"i18n_export_{addon}",
            )
            if rc or not exported.exists():
                sys.exit(f"error: exporting {addon}'s strings from {args.db} failed")
            pot_path.write_text(exported.read_text())
        total, missing = merge(pot_path, i18n / "zh_CN.po")
        print(f"{addon}: {total} strings, {len(missing)} without a zh_CN translation")
    return 0


if __name__ == "__main__":
    sys.exit(run_main(main))
