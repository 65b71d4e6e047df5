"""Running odoo-bin: to completion (install, tests, i18n export), as a shell, or serving."""

import subprocess

from .project import LOG_DIR, free_port


class OdooCommand:
    """odoo-bin of one ``Odoo`` with our addons path, logging into ``log_dir``."""

    def __init__(self, odoo, log_dir=LOG_DIR, python=None):
        self.odoo = odoo
        self.python = python or odoo.test_python
        self.log_dir = log_dir
        self.log_dir.mkdir(parents=True, exist_ok=True)

    def with_python(self, python):
        return OdooCommand(self.odoo, self.log_dir, python)

    def base(self, db, *, subcommand=None):
        cmd = [self.python, str(self.odoo.odoo_bin)]
        if subcommand:
            cmd.append(subcommand)
        return [
            *cmd,
            f"--addons-path={self.odoo.addons_path()}",
            "-d",
            db,
            f"--db-filter=^{db}$",
        ]

    def run(self, db, *extra, log_name, timeout=3600):
        """Run odoo-bin to completion; return (returncode, log text)."""
        log_file = self.log_dir / f"{log_name}.log"
        http = f"--http-port={free_port()}" if "--test-enable" in extra else "--no-http"
        cmd = [
            *self.base(db),
            "--stop-after-init",
            http,
            "--max-cron-threads=0",
            f"--logfile={log_file}",
            *extra,
        ]
        log_file.unlink(missing_ok=True)
        # What Odoo prints before its logging starts (a crash, a warning) goes with its log.
        console = log_file.with_suffix(".console.log")
        with open(console, "w") as out:
            proc = subprocess.run(
                cmd,
                check=False,
                timeout=timeout,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        text = log_file.read_text(errors="replace") if log_file.exists() else ""
        return proc.returncode, text + console.read_text(errors="replace")

    def shell(self, db, script, log_name, env=None):
        """Run ``script`` in ``odoo-bin shell``; return (returncode, log + output)."""
        log_file = self.log_dir / f"{log_name}.log"
        cmd = [
            *self.base(db, subcommand="shell"),
            "--no-http",
            "--max-cron-threads=0",
            f"--logfile={log_file}",
        ]
        log_file.unlink(missing_ok=True)
        proc = subprocess.run(
            cmd, input=script, text=True, capture_output=True, check=False, env=env
        )
        text = log_file.read_text(errors="replace") if log_file.exists() else ""
        return proc.returncode, text + proc.stdout + proc.stderr
