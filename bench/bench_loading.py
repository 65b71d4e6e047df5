"""Loading a shipment by scanner, against Odoo's own validation of the same deliveries.

An export order of N lines (default 50 products, 200 pieces each, 50 a carton, in stock) is
shipped twice in one transaction rolled back at the end:

- Odoo alone: the delivery's quantities set to the demand and ``button_validate``;
- ours: a shipment with two containers (packing list generated), one scan per carton (GS1
  labels with a count), then ``action_done_loading`` (which calls the same validation).

Prints times and SQL query counts of each step, queries per scan, and the ratio of our whole
loading (shipment + scans + finish) and of the finish alone to Odoo's validation.

    python3 bench/bench_loading.py --db sbk_bench --create
"""

from common import create_database, environment, measure, parser


def ean13(base12):
    digits = [int(c) for c in base12]
    total = sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits))
    return base12 + str((10 - total % 10) % 10)


def populate(env, lines, qty):
    company = env.company
    if not company.country_id:
        company.country_id = env.ref("base.cn")
    foreign = env.ref("base.de") if company.country_id != env.ref("base.de") else env.ref("base.fr")
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    buyer = env["res.partner"].create({"name": "Bench Buyer", "country_id": foreign.id})
    products = env["product.product"].create(
        [
            {
                "name": f"Bench Lamp {i}",
                "is_storable": True,
                "barcode": ean13(f"69099{i:07d}"),
                "sbk_pcs_per_carton": 50,
                "sbk_carton_length_cm": 60,
                "sbk_carton_width_cm": 40,
                "sbk_carton_height_cm": 30,
                "sbk_carton_net_weight": 10,
                "sbk_carton_gross_weight": 11,
            }
            for i in range(lines)
        ]
    )
    for product in products:
        env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 4 * qty)
    return buyer, products


def order(env, buyer, products, qty):
    sale = env["sale.order"].create(
        {
            "partner_id": buyer.id,
            "order_line": [
                (0, 0, {"product_id": p.id, "product_uom_qty": qty, "price_unit": 10.0})
                for p in products
            ],
        }
    )
    sale.action_confirm()
    return sale.picking_ids


def main():
    argparser = parser(__doc__)
    argparser.add_argument("--lines", type=int, default=50)
    argparser.add_argument("--qty", type=int, default=200)
    args = argparser.parse_args()
    if args.create:
        create_database(args.db)
    odoo, registry = environment(args.db)
    results = {}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        buyer, products = populate(env, args.lines, args.qty)
        env.flush_all()
        print(f"Export order of {args.lines} lines x {args.qty} pieces ({args.qty // 50} cartons)")

        picking = order(env, buyer, products, args.qty)
        env.invalidate_all()
        with measure(cr, "Odoo alone: set quantities and validate", results):
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
            picking.move_ids.picked = True
            picking.button_validate()
            env.flush_all()
        assert picking.state == "done"

        picking = order(env, buyer, products, args.qty)
        env.invalidate_all()
        with measure(cr, "ours: shipment and packing list (2 containers)", results):
            shipment = env["sbk.shipment"].create(
                {
                    "partner_id": buyer.id,
                    "picking_ids": [(6, 0, picking.ids)],
                    "container_ids": [
                        (0, 0, {"container_type": "40HQ", "sequence": 1}),
                        (0, 0, {"container_type": "40HQ", "sequence": 2}),
                    ],
                }
            )
            env.flush_all()
        scans = [
            "01" + "0" + p.barcode + "30" + "50" for p in products for _c in range(args.qty // 50)
        ]
        env.invalidate_all()
        with measure(cr, f"ours: {len(scans)} carton scans", results):
            for barcode in scans:
                shipment.on_barcode_scanned(barcode)
            env.flush_all()
        with measure(cr, "ours: finish loading (validates the delivery)", results):
            shipment.action_done_loading()
            env.flush_all()
        assert picking.state == "done" and shipment.state == "loaded"
        cr.rollback()
    odoo_alone = results["Odoo alone: set quantities and validate"]
    scan = results[f"ours: {len(scans)} carton scans"]
    finish = results["ours: finish loading (validates the delivery)"]
    total = sum(r["seconds"] for k, r in results.items() if k.startswith("ours"))
    print()
    print(f"queries per scan: {scan['queries'] / len(scans):.1f}")
    print(
        "finish loading vs Odoo's validation: time ratio "
        f"{finish['seconds'] / odoo_alone['seconds']:.2f}"
        f", queries {finish['queries']} vs {odoo_alone['queries']}"
    )
    print(
        f"whole loading (shipment + scans + finish) vs Odoo's validation: time ratio "
        f"{total / odoo_alone['seconds']:.2f}"
    )


if __name__ == "__main__":
    main()
