"""Landed cost at scale: 1,000 export orders, 5,000 tagged bill lines (shared bills of 1 to 10
orders, every dimension and allocation basis).

Measures, in a transaction rolled back at the end:

- the first full computation of 250, 500 and 1,000 orders (queries per order should stay
  constant), then a full recompute when nothing changed (existing cost lines are kept);
- the incremental update when one bill is posted (a line for one order, a line shared by ten
  orders), with the number of orders it recomputed: only the bill's orders should be; against
  Odoo's own posting of the same bill without our recompute (the ratio is what landed cost
  adds to the accountant's click);
- the cron catching up 1,000 orders marked pending (the path a failed or deferred recompute
  takes), where the addon has it.

    python3 bench/bench_landed_cost.py --db sbk_bench --create
"""

import random
import threading

from common import create_database, environment, measure, parser

ORDERS = 1000
BILL_LINES = 5000
LINES_PER_BILL = 10
SERVICES = [
    ("Bench Ocean Freight", "ocean_freight", "volume"),
    ("Bench Trucking", "domestic_freight", "gross_weight"),
    ("Bench Customs Broker", "customs_fee", "cartons"),
    ("Bench Insurance", "insurance", "value"),
    ("Bench Bank Charges", "commission", "quantity"),
]


def populate(env):
    rng = random.Random(7)
    company = env.company
    skip = env(context=dict(env.context, sbk_skip_cost_recompute=True, tracking_disable=True))
    foreign = env.ref("base.de") if company.country_id != env.ref("base.de") else env.ref("base.fr")
    buyer = skip["res.partner"].create({"name": "Bench Landed Buyer", "country_id": foreign.id})
    hs_code = skip["sbk.hs.code"].create(
        {"code": "94059990", "name": "Bench lamps", "vat_rate": 13.0, "rebate_rate": 9.0}
    )
    products = skip["product.product"].create(
        [
            {
                "name": f"Bench Lamp {i}",
                "is_storable": True,
                "standard_price": 5.0 + i,
                "sbk_hs_code_id": hs_code.id,
                "sbk_pcs_per_carton": 20 + 10 * i,
                "sbk_carton_length_cm": 50,
                "sbk_carton_width_cm": 40,
                "sbk_carton_height_cm": 30 + i,
                "sbk_carton_net_weight": 10.0 + i,
                "sbk_carton_gross_weight": 11.0 + i,
            }
            for i in range(5)
        ]
    )
    services = skip["product.product"].create(
        [
            {
                "name": name,
                "type": "service",
                "purchase_ok": True,
                "sbk_cost_dimension": dimension,
                "sbk_allocation_basis": basis,
            }
            for name, dimension, basis in SERVICES
        ]
    )
    incoterms = [env.ref(f"account.incoterm_{code}") for code in ("FOB", "CIF", "EXW", "CFR")]
    orders = skip["sale.order"].create(
        [
            {
                "partner_id": buyer.id,
                "incoterm": incoterms[i % 4].id,
                "sbk_freight_estimate": 500.0,
                "sbk_commission_rate": 2.0 if i % 3 == 0 else 0.0,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": products[(i + k) % 5].id,
                            "product_uom_qty": rng.randint(50, 2000),
                            "price_unit": rng.randint(300, 2000) / 100.0,
                        },
                    )
                    for k in range(2)
                ],
            }
            for i in range(ORDERS)
        ]
    )
    # Confirmed orders without running procurement: the bench measures costs, not stock.
    orders.write({"state": "sale"})
    forwarder = skip["res.partner"].create({"name": "Bench Forwarder"})
    bills = []
    for b in range(BILL_LINES // LINES_PER_BILL):
        lines = []
        for k in range(LINES_PER_BILL):
            service = services[(b + k) % len(services)]
            shared = rng.sample(orders.ids, rng.randint(1, 10))
            lines.append(
                (
                    0,
                    0,
                    {
                        "product_id": service.id,
                        "quantity": 1.0,
                        "price_unit": rng.randint(1000, 500000) / 100.0,
                        "tax_ids": [(5,)],
                        "sbk_sale_order_ids": [(6, 0, shared)],
                    },
                )
            )
        bills.append(
            {
                "move_type": "in_invoice",
                "partner_id": forwarder.id,
                "invoice_date": "2024-03-01",
                "invoice_line_ids": lines,
            }
        )
    moves = skip["account.move"].browse()
    for start in range(0, len(bills), 50):
        batch = skip["account.move"].create(bills[start : start + 50])
        batch.action_post()
        moves |= batch
        print(f"    {len(moves)} bills posted", end="\r", flush=True)
    print()
    env.flush_all()
    env.invalidate_all()
    return orders.with_env(env), services.with_env(env), forwarder


def new_bill(env, forwarder, service, targets):
    """A draft forwarder's bill of 1,234.57 for ``targets``, created without recompute."""
    bill = (
        env["account.move"]
        .with_context(sbk_skip_cost_recompute=True)
        .create(
            {
                "move_type": "in_invoice",
                "partner_id": forwarder.id,
                "invoice_date": "2024-03-02",
                "invoice_line_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": service.id,
                            "quantity": 1.0,
                            "price_unit": 1234.57,
                            "tax_ids": [(5,)],
                            "sbk_sale_order_ids": [(6, 0, targets.ids)],
                        },
                    )
                ],
            }
        )
    )
    return bill.with_env(env)


def recomputed_orders(env, orders):
    """Orders whose figures were rewritten since ``mark``."""
    env.flush_all()
    env.cr.execute(
        "SELECT count(*) FROM sale_order WHERE id = ANY(%s) AND sbk_cost_date > '2000-01-02'",
        [orders.ids],
    )
    return env.cr.fetchone()[0]


def mark(env, orders):
    env.flush_all()
    env.cr.execute(
        "UPDATE sale_order SET sbk_cost_date = '2000-01-01' WHERE id = ANY(%s)", [orders.ids]
    )
    env.invalidate_all()


def main():
    args = parser(__doc__).parse_args()
    if args.create:
        create_database(args.db)
    odoo, registry = environment(args.db)
    results = {}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        print(f"Populating {ORDERS} orders and {BILL_LINES} tagged bill lines...")
        orders, services, forwarder = populate(env)
        shared_lines = env["account.move.line"].search_count(
            [("sbk_sale_order_ids", "in", orders.ids)]
        )
        print(f"  {shared_lines} tagged bill lines")
        for size in (250, 500, 1000):
            subset = orders[:size]
            # Each size from scratch: no order has cost lines yet.
            cr.execute("SAVEPOINT first_computation")
            env.invalidate_all()
            label = f"full recompute, {size} orders"
            with measure(cr, label, results):
                subset._sbk_recompute_costs()
                env.flush_all()
            queries = results[label]["queries"]
            print(f"    -> {queries / size:.2f} queries per order")
            if size < ORDERS:
                cr.execute("ROLLBACK TO SAVEPOINT first_computation")
                env.invalidate_all()
        env.invalidate_all()
        label = f"full recompute again, nothing changed, {ORDERS} orders"
        with measure(cr, label, results):
            orders._sbk_recompute_costs()
            env.flush_all()
        costs = env["sbk.order.cost"].search_count([("sale_order_id", "in", orders.ids)])
        print(f"  {costs} cost lines for {ORDERS} orders")
        for size in (1, 10):
            targets = orders[500 : 500 + size]
            for odoo_only in (True, False):
                bill = new_bill(env, forwarder, services[0], targets)
                mark(env, orders)
                if odoo_only:
                    label = f"Odoo alone: post one bill for {size} order(s)"
                    bill = bill.with_context(sbk_skip_cost_recompute=True)
                else:
                    label = f"incremental: post one bill for {size} order(s)"
                with measure(cr, label, results):
                    bill.action_post()
                    env.flush_all()
                touched = recomputed_orders(env, orders)
                print(f"    -> {touched} order(s) recomputed of {ORDERS}")
                results[label]["touched"] = touched
        if hasattr(orders, "_cron_sbk_recompute_costs"):
            orders.write({"sbk_cost_state": "pending"})
            env.flush_all()
            label = f"cron: {ORDERS} pending orders"
            # The cron commits after each batch, as crons do, unless in a test: here everything
            # is rolled back at the end.
            thread = threading.current_thread()
            thread.testing = True
            try:
                with measure(cr, label, results):
                    env["sale.order"]._cron_sbk_recompute_costs()
                    env.flush_all()
            finally:
                thread.testing = False
        cr.rollback()
    print()
    for label in (
        f"full recompute, {ORDERS} orders",
        f"full recompute again, nothing changed, {ORDERS} orders",
    ):
        full = results[label]
        print(
            f"{label}: {full['seconds']:.2f} s, {full['queries']} queries "
            f"({full['queries'] / ORDERS:.2f} per order)"
        )
    for size in (1, 10):
        item = results[f"incremental: post one bill for {size} order(s)"]
        odoo = results[f"Odoo alone: post one bill for {size} order(s)"]
        print(
            f"Posting one bill for {size} order(s): {item['seconds']:.3f} s, "
            f"{item['queries']} queries, {item['touched']} order(s) recomputed; Odoo alone "
            f"{odoo['seconds']:.3f} s, {odoo['queries']} queries: "
            f"x{item['seconds'] / odoo['seconds']:.2f} time, "
            f"x{item['queries'] / odoo['queries']:.2f} queries"
        )
    cron = results.get(f"cron: {ORDERS} pending orders")
    if cron:
        full = results[f"full recompute again, nothing changed, {ORDERS} orders"]
        print(
            f"Cron catching up {ORDERS} pending orders: {cron['seconds']:.2f} s, "
            f"{cron['queries']} queries (x{cron['seconds'] / full['seconds']:.2f} the direct "
            "recompute)"
        )


if __name__ == "__main__":
    main()
