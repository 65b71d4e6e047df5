# Run inside `odoo-bin shell` (its standard input) by scripts/demo and docker-compose's init
# service: gives the demo MES user (login "mes") a fresh API key, writes it to the file named by
# SBK_MES_ODOO_KEY_FILE (never on a command line), and points Odoo at the MES: its URL
# (SBK_MES_URL) and the credential Odoo presents to it (the file SBK_MES_AUTH_TOKEN_FILE).
# Prints SBK_MES_READY when done. `env` is the shell's environment.
import os  # noqa: I001 (a script read by Odoo's shell, not a module)
from pathlib import Path

user = env.ref("sbk_mes_bridge.user_sbk_mes_demo", raise_if_not_found=False)  # noqa: F821
if user:
    apikeys = env["res.users.apikeys"]  # noqa: F821
    apikeys.search([("user_id", "=", user.id), ("name", "=", "MES demo")])._remove()
    key = apikeys.with_user(user).sudo()._generate("rpc", "MES demo", False)
    key_file = Path(os.environ["SBK_MES_ODOO_KEY_FILE"])
    key_file.touch(mode=0o600)
    key_file.write_text(key)
    params = env["ir.config_parameter"].sudo()  # noqa: F821
    params.set_param("sbk_mes_bridge.url", os.environ["SBK_MES_URL"])
    token_file = os.environ.get("SBK_MES_AUTH_TOKEN_FILE")
    if token_file:
        params.set_param("sbk_mes_bridge.login", "odoo")
        params.set_param("sbk_mes_bridge.password", Path(token_file).read_text().strip())
    env.cr.commit()  # noqa: F821
    print("SBK_MES_READY")
else:
    print("SBK_MES_ABSENT")
