"""Shared fixtures for the tests that run outside Odoo.

Pure computations live in ``addons/<addon>/tools/`` and import nothing from Odoo; ``load_tool``
imports such a file on its own, without the addon package (whose ``__init__`` needs Odoo).
"""

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The development tooling (scripts/sbkdev) is importable by the tests that check it.
sys.path.insert(0, str(ROOT / "scripts"))


def load_tool(addon, name):
    """Import ``addons/<addon>/tools/<name>.py`` as a standalone module."""
    module_name = f"sbk_pure_{addon}_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    path = ROOT / "addons" / addon / "tools" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def packing():
    return load_tool("sbk_trade", "packing")


@pytest.fixture(scope="session")
def barcode_scan():
    return load_tool("sbk_trade", "barcode_scan")


@pytest.fixture(scope="session")
def xlsx():
    return load_tool("sbk_trade", "xlsx")


@pytest.fixture(scope="session")
def trade_documents():
    return load_tool("sbk_trade", "trade_documents")


@pytest.fixture(scope="session")
def hs_code():
    return load_tool("sbk_trade", "hs_code")


@pytest.fixture(scope="session")
def planning():
    return load_tool("sbk_trade", "planning")


@pytest.fixture(scope="session")
def lead_time():
    return load_tool("sbk_trade", "lead_time")


@pytest.fixture(scope="session")
def allocation():
    return load_tool("sbk_landed_cost", "allocation")


@pytest.fixture(scope="session")
def trade_profit():
    return load_tool("sbk_landed_cost", "trade_profit")


@pytest.fixture(scope="session")
def mes_protocol():
    return load_tool("sbk_mes_bridge", "mes_protocol")
