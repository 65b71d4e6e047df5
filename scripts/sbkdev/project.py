"""The repository: its root, its addons (read from their manifests), free ports."""

import ast
import contextlib
import socket
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ADDONS_DIR = ROOT / "addons"
LOG_DIR = ROOT / ".test-logs"
# The Odoo modules whose own tests must keep passing with our addons installed.
REGRESSION_MODULES = ("sale_stock", "sale_mrp", "purchase_stock", "mrp")


@cache
def manifests():
    """{addon: manifest dict} for every addon of the repository, in name order."""
    result = {}
    for manifest in sorted(ADDONS_DIR.glob("*/__manifest__.py")):
        result[manifest.parent.name] = ast.literal_eval(manifest.read_text())
    return result


def our_addons():
    """Every addon of the repository, dependencies first."""
    found = manifests()
    ordered = []

    def visit(name):
        if name in ordered:
            return
        for dep in found[name].get("depends", []):
            if dep in found:
                visit(dep)
        ordered.append(name)

    for name in found:
        visit(name)
    return ordered


# The seed's story on a database of its own (scripts/demo): a Chinese exporter's company with
# documents in every state. Never installed with the product's tests or Odoo's: it changes the
# user's company.
DEMO_ADDON = "sbk_demo"


def product_addons():
    """Our addons but the demo story: what a customer installs (bridges included)."""
    return [name for name in our_addons() if name != DEMO_ADDON]


def main_addons():
    """The addons a user installs; the auto-install bridges follow by themselves."""
    return [name for name in product_addons() if not manifests()[name].get("auto_install")]


def demo_addons():
    """What scripts/demo installs: the product and, once it exists, the demo story."""
    return main_addons() + ([DEMO_ADDON] if DEMO_ADDON in manifests() else [])


# Addons whose tests run on a database of their own: what they bring in (the demo story's Chinese
# chart of accounts, the online shop's pricelists by country) changes the companies, currencies
# and prices the other addons' tests run with.
OWN_DATABASE_ADDONS = (DEMO_ADDON, "sbk_export_reservation_website_sale")


def shared_test_addons():
    """Our addons tested together on one database."""
    return [name for name in our_addons() if name not in OWN_DATABASE_ADDONS]


def own_database_install(addon):
    """What a database for ``addon``'s own tests installs: the product and ``addon``."""
    return [*main_addons(), addon]


def odoo_dependencies(addons=None):
    """Odoo's own modules that ``addons`` (default: all of ours) depend on, sorted."""
    found = manifests()
    addons = our_addons() if addons is None else addons
    deps = set()
    for name in addons:
        deps.update(found[name].get("depends", []))
    return sorted(deps - set(found))


def free_port():
    """A TCP port on loopback that nothing listens on now."""
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


if __name__ == "__main__":
    # docker compose's init service asks for the list it installs: python3 project.py demo-addons
    import sys

    if sys.argv[1:] != ["demo-addons"]:
        sys.exit("usage: project.py demo-addons")
    print(",".join(demo_addons()))
