"""End-to-end fixtures: a real Odoo server on the test database and the MES simulator.

The test command (``scripts/test``) gives SBK_TEST_DB (our addons installed, demo data),
ODOO_HOME, ODOO_PYTHON and SBK_ADDONS_PATH; without them these tests are skipped.
"""

import os
import uuid
from pathlib import Path

import pytest

from .servers import (
    Client,
    OdooServer,
    Simulator,
    configure_outbox,
    make_light,
    make_stocked_light,
)

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = ("SBK_TEST_DB", "ODOO_HOME", "ODOO_PYTHON", "SBK_ADDONS_PATH")


# Every flow runs twice: on Odoo's threaded server, and on its multi-process (prefork) server
# as production runs it (two HTTP workers and a cron worker, no state shared but the database).
SERVER_MODES = {"threaded": 0, "prefork": 2}


@pytest.fixture(scope="session", params=list(SERVER_MODES))
def odoo(request):
    missing = [name for name in REQUIRED if not os.environ.get(name)]
    if missing:
        pytest.skip(f"end-to-end tests need {', '.join(missing)} (run them with scripts/test)")
    server = OdooServer(
        os.environ["ODOO_PYTHON"],
        os.environ["ODOO_HOME"],
        os.environ["SBK_ADDONS_PATH"],
        os.environ["SBK_TEST_DB"],
        ROOT / ".test-logs" / f"e2e_odoo_{request.param}.log",
        workers=SERVER_MODES[request.param],
    )
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def admin(odoo):
    return Client(odoo.url, odoo.db, "admin", "admin")


@pytest.fixture(scope="session")
def mes_key(admin):
    """A fresh MES user and its API key, made with the settings' wizard."""
    login = f"mes_e2e_{uuid.uuid4().hex[:8]}"
    wizard = admin("sbk.mes.api.key.wizard", "create", {"login": login, "key_name": "e2e"})
    # As Odoo's own key wizard: the key is shown once, in the action that answers.
    action = admin("sbk.mes.api.key.wizard", "action_generate", [wizard])
    return login, action["context"]["default_key"]


@pytest.fixture(scope="session")
def mes_client(odoo, mes_key):
    return Client(odoo.url, odoo.db, *mes_key)


@pytest.fixture(scope="session")
def simulator(odoo, admin, mes_key, tmp_path_factory):
    sim = Simulator(
        tmp_path_factory.mktemp("mes") / "mes.sqlite3", odoo.url, odoo.db, *mes_key
    ).start()
    configure_outbox(admin, sim.url, sim.token)
    yield sim
    sim.stop()


@pytest.fixture(scope="session")
def stocked_product(admin):
    """A light made of two storable components with stock on hand (reserved at confirmation):
    closing its MO moves stock."""
    return make_stocked_light(admin, 1000)


@pytest.fixture(scope="session")
def product(admin):
    """A light made in two operations from two consumable components."""
    suffix = uuid.uuid4().hex[:6]
    workcenter = admin("mrp.workcenter", "create", {"name": f"E2E Line {suffix}"})
    components = [
        admin("product.product", "create", {"name": f"E2E Part {i} {suffix}", "type": "consu"})
        for i in (1, 2)
    ]
    operations = [
        (0, 0, {"name": "Solder", "workcenter_id": workcenter, "time_cycle_manual": 2}),
        (0, 0, {"name": "Assemble", "workcenter_id": workcenter, "time_cycle_manual": 4}),
    ]
    return make_light(admin, "E2E", "E2E", components, operations=operations)
