"""Programs the product needs outside Python, from Debian's packages.

Each entry: the command that proves it is there, the Debian package, and what needs it.
Where one is missing, root (or passwordless sudo) installs it with apt-get; anyone else gets a
message naming the package.
"""

import os
import shutil
import subprocess
from pathlib import Path

from .progress import SetupError, step

# name: (how to tell it is installed, Debian package, what it is for)
PROGRAMS = {
    "wkhtmltopdf": (("cmd", "wkhtmltopdf"), "wkhtmltopdf", "PDF reports"),
    "cjk-fonts": (
        ("path", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
        "fonts-noto-cjk",
        "Chinese text in PDF reports",
    ),
    "pdftotext": (("cmd", "pdftotext"), "poppler-utils", "tests that read the PDF reports"),
    "chromium": (("cmd", "chromium"), "chromium", "Odoo's browser tests (tours)"),
}
DEMO_PROGRAMS = ("wkhtmltopdf", "cjk-fonts")
TEST_PROGRAMS = ("wkhtmltopdf", "cjk-fonts", "pdftotext", "chromium")


def is_installed(name):
    kind, what = PROGRAMS[name][0]
    return bool(shutil.which(what)) if kind == "cmd" else Path(what).exists()


def _apt_prefix():
    """How to run apt-get here, or None when this user cannot install packages."""
    if not shutil.which("apt-get"):
        return None
    if os.geteuid() == 0:
        return []
    if (
        shutil.which("sudo")
        and not subprocess.run(["sudo", "-n", "true"], capture_output=True, check=False).returncode
    ):
        return ["sudo", "-n"]
    return None


def ensure_programs(names, required, log_file):
    """Install what is missing of ``names``; return the names still missing.

    ``required``: raise a SetupError naming the packages instead of returning them.
    """
    missing = [name for name in names if not is_installed(name)]
    if not missing:
        return []
    packages = sorted({PROGRAMS[name][1] for name in missing})
    prefix = _apt_prefix()
    if prefix is not None:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        with step(f"Installing Debian packages {', '.join(packages)}"), open(log_file, "a") as log:
            for command in (
                ["apt-get", "update", "-qq"],
                ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
            ):
                proc = subprocess.run(
                    prefix + command, stdout=log, stderr=subprocess.STDOUT, env=env, check=False
                )
                if proc.returncode:
                    break
        missing = [name for name in missing if not is_installed(name)]
    if missing and required:
        needed = sorted({PROGRAMS[name][1] for name in missing})
        uses = "; ".join(f"{PROGRAMS[n][1]}: {PROGRAMS[n][2]}" for n in missing)
        raise SetupError(
            f"missing Debian packages ({uses}); installing them failed (log: {log_file})"
            if prefix is not None
            else f"missing Debian packages ({uses})",
            f"install them: sudo apt-get install {' '.join(needed)}",
        )
    return missing
