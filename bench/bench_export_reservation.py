"""Export locks at scale: availability and domestic reservation, with and without the locks.

A product with Q quants (1,000 and 10,000: 100 sub-locations x 10 or 100 lots, ten units each,
inserted with SQL for speed), once without export locks and once with 1,000 active export locks
on it (five units each: half of the smaller stock). Measures, in a transaction rolled back at
the end:

- reading the product's availability (Odoo's on hand / free quantities, and ours);
- reserving a 100-line domestic delivery of the product;

each with our locks in force and as Odoo alone does it (the hook bypassed with the context key
``sbk_skip_export_locks``, the same code path as without the module). Run twice with different
quant counts, the query counts show whether they depend on the number of quants.

    python3 bench/bench_export_reservation.py --db sbk_bench --create
"""

from common import create_database, environment, measure, parser


def populate(env, quants, locks):
    """A product with ``quants`` quants of ten units and ``locks`` export locks of five."""
    company = env.company
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    stock = warehouse.lot_stock_id
    product = env["product.product"].create(
        {"name": f"Bench Set {quants}/{locks}", "is_storable": True, "tracking": "lot"}
    )
    n_locations = 100
    n_lots = max(quants // n_locations, 1)
    locations = env["stock.location"].create(
        [{"name": f"Bin {i}", "location_id": stock.id} for i in range(n_locations)]
    )
    lots = env["stock.lot"].create(
        [{"name": f"BL{quants}-{locks}-{i}", "product_id": product.id} for i in range(n_lots)]
    )
    env.flush_all()
    # Ten units in each (location, lot): the ORM would take minutes for 10,000 quants.
    env.cr.execute(
        """
        INSERT INTO stock_quant (product_id, location_id, lot_id, company_id, quantity,
                                 reserved_quantity, in_date, create_date, write_date)
        SELECT %s, loc, lot, %s, 10, 0, now(), now(), now()
          FROM unnest(%s) AS loc, unnest(%s) AS lot
        """,
        (product.id, company.id, locations.ids, lots.ids),
    )
    foreign = env.ref("base.de") if company.country_id != env.ref("base.de") else env.ref("base.fr")
    buyer = env["res.partner"].create({"name": "Bench Lock Buyer", "country_id": foreign.id})
    orders = env["sale.order"].create(
        [{"partner_id": buyer.id, "sbk_trade_type": "export"} for _i in range(10)]
    )
    env["sbk.export.lock"].create(
        [
            {
                "sale_order_id": orders[i % 10].id,
                "product_id": product.id,
                "location_id": stock.id,
                "required_qty": 5,
                "quantity": 5,
            }
            for i in range(locks)
        ]
    )
    home = env["res.partner"].create(
        {"name": "Bench Home Buyer", "country_id": company.country_id.id}
    )
    env.flush_all()
    env.invalidate_all()
    return warehouse, product, home


def delivery(env, warehouse, product, lines):
    customers = env.ref("stock.stock_location_customers")
    picking = env["stock.picking"].create(
        {
            "picking_type_id": warehouse.out_type_id.id,
            "location_id": warehouse.lot_stock_id.id,
            "location_dest_id": customers.id,
            "move_ids": [
                (
                    0,
                    0,
                    {
                        "name": f"line {i}",
                        "product_id": product.id,
                        "product_uom_qty": 5,
                        "location_id": warehouse.lot_stock_id.id,
                        "location_dest_id": customers.id,
                    },
                )
                for i in range(lines)
            ],
        }
    )
    picking.action_confirm()
    # Confirmation reserves at once: start the measured reservation from nothing.
    picking.do_unreserve()
    env.flush_all()
    return picking


def main():
    args = parser(__doc__).parse_args()
    if args.create:
        create_database(args.db)
    odoo, registry = environment(args.db)
    results = {}
    cases = [(quants, locks) for quants in (1000, 10000) for locks in (0, 1000)]
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        for quants, locks in cases:
            print(f"Product with {quants} quants and {locks} active export locks")
            warehouse, product, _home = populate(env, quants, locks)
            case = f"{quants} quants, {locks} locks"
            variants = (("Odoo alone", {"sbk_skip_export_locks": True}), ("ours", {}))
            for label, context in variants:
                env.invalidate_all()
                item = product.with_context(warehouse_id=warehouse.id, **context)
                fields = ["qty_available", "free_qty"]
                if not context:
                    fields += ["sbk_export_locked_qty", "sbk_domestic_available_qty"]
                with measure(cr, f"{case}, availability, {label}", results):
                    item.read(fields)
            # The best of nine rounds, Odoo alone and ours in turn: the machine is shared.
            for _round in range(9):
                for label, context in variants:
                    cr.execute("SAVEPOINT reserve")
                    picking = delivery(
                        env(context=dict(env.context, **context)), warehouse, product, 100
                    )
                    env.invalidate_all()
                    key = f"{case}, reserve 100-line delivery, {label}"
                    round_results = {}
                    with measure(cr, key, round_results):
                        picking.with_context(**context).action_assign()
                        env.flush_all()
                    reserved = sum(picking.move_ids.mapped("quantity"))
                    assert reserved == 500, f"{label} reserved {reserved} of 500"
                    cr.execute("ROLLBACK TO SAVEPOINT reserve")
                    if (
                        key not in results
                        or round_results[key]["seconds"] < results[key]["seconds"]
                    ):
                        results[key] = round_results[key]
        cr.rollback()
    print()
    for quants, locks in cases:
        case = f"{quants} quants, {locks} locks"
        for what in ("availability", "reserve 100-line delivery"):
            ours = results[f"{case}, {what}, ours"]
            alone = results[f"{case}, {what}, Odoo alone"]
            ratio = ours["seconds"] / alone["seconds"]
            print(
                f"{case:>24}, {what:<26} time ratio {ratio:.2f}"
                f"  queries {ours['queries']} vs {alone['queries']}"
            )


if __name__ == "__main__":
    main()
