"""The MES bridge end to end: Odoo's HTTP server, its cron thread, XML-RPC with an API key and
the reference simulator, all on loopback."""

import datetime
import uuid
import xmlrpc.client

import pytest

from .servers import wait_for


def confirm_mo(admin, product, quantity=10.0):
    production = admin("mrp.production", "create", {"product_id": product, "product_qty": quantity})
    admin("mrp.production", "action_confirm", [production])
    return admin("mrp.production", "read", [production], ["name"])[0]["name"], production


def messages(admin, production):
    return admin(
        "sbk.mes.message",
        "search_read",
        [("production_id", "=", production)],
        ["method", "state", "attempts", "idempotency_key", "mes_ref"],
        order="id",
    )


def mo(admin, production, *fields):
    return admin("mrp.production", "read", [production], list(fields))[0]


def now():
    """The MES stamps its events with its clock: the bridge refuses far dates."""
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def event(job_id, kind, **values):
    return {
        "message_id": str(uuid.uuid4()),
        "job_id": job_id,
        "event": kind,
        "timestamp": now(),
        **values,
    }


def test_confirming_an_mo_pushes_its_job(admin, simulator, product):
    name, production = confirm_mo(admin, product)
    job = wait_for(lambda: simulator.mes.get_job(name), timeout=30)
    assert job, "the cron thread delivers the job right after the commit"
    assert job["quantity"] == 10.0
    assert [op["name"] for op in job["operations"]] == ["Solder", "Assemble"]
    assert len(job["components"]) == 2
    sent = wait_for(lambda: messages(admin, production)[0]["state"] == "sent", timeout=10)
    assert sent
    assert mo(admin, production, "sbk_mes_state")["sbk_mes_state"] == "sent"


def test_mes_down_then_up_delivers_once(admin, simulator, product):
    simulator.stop()
    try:
        name, production = confirm_mo(admin, product)
        # Confirming never waits for the MES.
        assert mo(admin, production, "state")["state"] == "confirmed"
        failed = wait_for(lambda: messages(admin, production)[0]["state"] == "failed", timeout=30)
        assert failed, "the push fails while the MES is down"
    finally:
        simulator.start()
    # Odoo's cron thread looks for due retries at least every minute.
    assert wait_for(lambda: messages(admin, production)[0]["state"] == "sent", timeout=150)
    message = messages(admin, production)[0]
    assert message["attempts"] >= 2
    job = simulator.mes.get_job(name)
    assert job["idempotency_key"] == message["idempotency_key"]
    assert job["revision"] == 1
    assert [j["job_id"] for j in simulator.mes.list_jobs()].count(name) == 1


def test_sending_a_push_again_creates_no_second_job(admin, simulator, product):
    name, production = confirm_mo(admin, product)
    assert wait_for(lambda: messages(admin, production)[0]["state"] == "sent", timeout=30)
    message = messages(admin, production)[0]
    # As if the answer had been lost: the outbox sends it again, with its key.
    admin("sbk.mes.message", "write", [message["id"]], {"state": "pending"})
    cron = admin(
        "ir.model.data", "check_object_reference", "sbk_mes_bridge", "ir_cron_sbk_mes_deliver"
    )
    admin("ir.cron", "method_direct_trigger", [cron[1]])
    again = messages(admin, production)[0]
    assert again["state"] == "sent"
    assert again["attempts"] == 2
    assert again["mes_ref"] == message["mes_ref"]
    assert simulator.mes.get_job(name)["revision"] == 1
    assert [j["job_id"] for j in simulator.mes.list_jobs()].count(name) == 1


def test_each_event_type_over_xmlrpc_with_the_api_key(admin, mes_client, simulator, product):
    name, production = confirm_mo(admin, product)
    started = mes_client("sbk.mes.bridge", "report_progress", event(name, "started"))
    assert (started["status"], started["state"]) == ("applied", "progress")
    progress = mes_client("sbk.mes.bridge", "report_progress", event(name, "progress", qty_done=4))
    assert progress["qty_produced"] == 4.0
    scrap = mes_client(
        "sbk.mes.bridge", "report_progress", event(name, "scrap", qty_scrap=1, operation=2)
    )
    assert scrap["status"] == "applied"
    done = mes_client("sbk.mes.bridge", "report_progress", event(name, "done", qty_done=3))
    assert (done["state"], done["qty_produced"]) == ("done", 7.0)
    assert done["backorder"]
    record = mo(admin, production, "state", "qty_produced", "scrap_count")
    assert (record["state"], record["qty_produced"], record["scrap_count"]) == ("done", 7.0, 1)
    backorder = admin(
        "mrp.production", "search_read", [("name", "=", done["backorder"])], ["product_qty"]
    )
    assert backorder[0]["product_qty"] == 3.0
    jobs = mes_client("sbk.mes.bridge", "get_jobs")
    assert done["backorder"] in [job["job_id"] for job in jobs]


def test_invalid_event_is_a_fault_and_changes_nothing(admin, mes_client, simulator, product):
    name, production = confirm_mo(admin, product)
    for bad in (
        event(name, "progress", qty_done=-1),
        event(name, "progress", qty_done="ten"),
        event(name, "progress", qty_done=11),
        event(name, "progress", qty_done=1, timestamp="last tuesday"),
        event(name, "progress", qty_done=1, operation="Paint"),
        event("WH/MO/NO-SUCH-JOB", "progress", qty_done=1),
        {"job_id": name, "event": "progress", "qty_done": 1},
    ):
        with pytest.raises(xmlrpc.client.Fault) as caught:
            mes_client("sbk.mes.bridge", "report_progress", bad)
        assert caught.value.faultCode == 2, caught.value.faultString
    record = mo(admin, production, "state", "qty_producing")
    assert (record["state"], record["qty_producing"]) == ("confirmed", 0.0)


def test_duplicate_message_is_applied_once(admin, mes_client, simulator, product):
    name, production = confirm_mo(admin, product)
    report = event(name, "progress", qty_done=2)
    first = mes_client("sbk.mes.bridge", "report_progress", report)
    second = mes_client("sbk.mes.bridge", "report_progress", report)
    assert (first["status"], second["status"]) == ("applied", "duplicate")
    assert mo(admin, production, "qty_producing")["qty_producing"] == 2.0


@pytest.mark.parametrize(
    "model, fields",
    [
        ("sale.order.line", ["price_unit"]),
        ("product.product", ["standard_price"]),
        ("res.partner", ["name", "email"]),
        ("sale.order", ["amount_total"]),
    ],
)
def test_mes_user_cannot_read_prices_costs_or_partners(mes_client, model, fields):
    with pytest.raises(xmlrpc.client.Fault) as caught:
        mes_client(model, "search_read", [], fields, limit=1)
    assert caught.value.faultCode == 4, caught.value.faultString


def test_cancelling_an_mo_cancels_the_job(admin, simulator, product):
    name, production = confirm_mo(admin, product)
    assert wait_for(lambda: simulator.mes.get_job(name), timeout=30)
    admin("mrp.production", "action_cancel", [production])
    assert wait_for(lambda: simulator.mes.get_job(name)["mes_state"] == "cancel", timeout=30)
    assert [m["method"] for m in messages(admin, production)] == ["push_job", "cancel_job"]


def test_simulator_runs_a_job_with_stocked_components_through(admin, simulator, stocked_product):
    light, components = stocked_product
    before = {
        p["id"]: p["qty_available"]
        for p in admin("product.product", "read", components, ["qty_available"])
    }
    name, production = confirm_mo(admin, light, quantity=6)
    assert (
        mo(admin, production, "components_availability_state")["components_availability_state"]
        == "available"
    ), "the components are reserved at confirmation"
    # A retry the outbox scheduled earlier may hold the cron until its next poll (a minute).
    assert wait_for(lambda: simulator.mes.get_job(name), timeout=90)
    simulator.mes.run_job(name, {"steps": 3})
    done = wait_for(
        lambda: mo(admin, production, "state")["state"] == "done", timeout=60, interval=0.5
    )
    if not done:
        pytest.fail(
            f"the MO is {mo(admin, production, 'state', 'qty_producing', 'sbk_mes_state')}, "
            f"the simulator's job {simulator.mes.get_job(name)}"
        )
    record = mo(admin, production, "qty_produced", "sbk_mes_state")
    assert (record["qty_produced"], record["sbk_mes_state"]) == (6.0, "done")
    assert wait_for(lambda: simulator.mes.get_job(name)["mes_state"] == "done", timeout=10)
    after = admin("product.product", "read", components, ["qty_available"])
    consumed = {p["id"]: before[p["id"]] - p["qty_available"] for p in after}
    assert consumed == dict.fromkeys(components, 12.0)
    light_stock = admin("product.product", "read", [light], ["qty_available"])[0]
    assert light_stock["qty_available"] == 6.0


def test_a_done_sent_again_is_a_duplicate_and_consumes_nothing_more(
    admin, mes_client, simulator, stocked_product
):
    light, components = stocked_product

    def stock():
        return {
            p["id"]: p["qty_available"]
            for p in admin("product.product", "read", [light, *components], ["qty_available"])
        }

    before = stock()
    name, production = confirm_mo(admin, light, quantity=6)
    for report in (event(name, "started"), event(name, "progress", qty_done=3)):
        assert mes_client("sbk.mes.bridge", "report_progress", report)["status"] == "applied"
    done = event(name, "done", qty_done=3)
    first = mes_client("sbk.mes.bridge", "report_progress", done)
    assert (first["status"], first["state"], first["qty_produced"]) == ("applied", "done", 6.0)
    consumed = {product: before[product] - quantity for product, quantity in stock().items()}
    # As an MES does when the answer to its ``done`` was lost: the same message again.
    again = mes_client("sbk.mes.bridge", "report_progress", done)
    assert (again["status"], again["state"], again["qty_produced"]) == (
        "duplicate",
        "done",
        6.0,
    )
    record = mo(admin, production, "state", "qty_produced")
    assert (record["state"], record["qty_produced"]) == ("done", 6.0)
    after = stock()
    assert {p: before[p] - after[p] for p in after} == consumed
    assert consumed == {light: -6.0, **dict.fromkeys(components, 12.0)}
