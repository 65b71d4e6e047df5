"""Export order confirmation: our chain vs Odoo's own make-to-order routes.

An order of N lines (default 50); each product has a 3-level BOM of 20 components: 4
sub-assemblies (made) of 4 bought parts each. Confirmed twice, each time in a transaction that
is rolled back:

- **ours**: the products keep Odoo's default make-to-stock route; the order is an export order,
  so its confirmation plans MOs, the shortage list and RFQs;
- **Odoo**: the same products with MTO + Manufacture (finished goods, sub-assemblies) and
  MTO + Buy (parts); the same order as a domestic order, so only Odoo's procurement runs.

Prints time, SQL queries and the ratios, then the query counts for a second order whose parts
are shared between products (fewer distinct components, same BOM lines), to show that queries
follow the distinct components rather than BOM lines x order lines.
"""

from common import create_database, environment, measure, parser


def build(env, lines, parts_pool, tag):
    """Products, BOMs and vendors; ``parts_pool`` distinct parts shared round-robin."""
    Product = env["product.product"]
    vendors = env["res.partner"].create([{"name": f"Bench Vendor {tag}{i}"} for i in range(5)])
    parts = Product.create(
        [
            {
                "name": f"Bench Part {tag}{i}",
                "is_storable": True,
                "seller_ids": [(0, 0, {"partner_id": vendors[i % 5].id, "price": 1.0})],
            }
            for i in range(parts_pool)
        ]
    )
    finished = Product.create(
        [{"name": f"Bench Light {tag}{i}", "is_storable": True} for i in range(lines)]
    )
    subs = Product.create(
        [
            {"name": f"Bench Sub {tag}{i}-{j}", "is_storable": True}
            for i in range(lines)
            for j in range(4)
        ]
    )
    boms = []
    part_index = 0
    for i, product in enumerate(finished):
        my_subs = subs[i * 4 : i * 4 + 4]
        boms.append(
            {
                "product_tmpl_id": product.product_tmpl_id.id,
                "bom_line_ids": [(0, 0, {"product_id": s.id, "product_qty": 1}) for s in my_subs],
            }
        )
        for sub in my_subs:
            sub_lines = []
            for _k in range(4):
                sub_lines.append(
                    (0, 0, {"product_id": parts[part_index % parts_pool].id, "product_qty": 2})
                )
                part_index += 1
            boms.append({"product_tmpl_id": sub.product_tmpl_id.id, "bom_line_ids": sub_lines})
    env["mrp.bom"].create(boms)
    return finished, subs, parts


def order(env, partner, products):
    return env["sale.order"].create(
        {
            "partner_id": partner.id,
            "order_line": [(0, 0, {"product_id": p.id, "product_uom_qty": 10}) for p in products],
        }
    )


def main():
    args = parser(__doc__).parse_args()
    if args.create:
        create_database(args.db)
    odoo, registry = environment(args.db)
    results = {}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        company = env.company
        foreign = (
            env.ref("base.de") if company.country_id != env.ref("base.de") else env.ref("base.fr")
        )
        buyer_abroad = env["res.partner"].create({"name": "Bench Buyer", "country_id": foreign.id})
        buyer_home = env["res.partner"].create(
            {"name": "Bench Home Buyer", "country_id": company.country_id.id}
        )
        warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        mto = env.ref("stock.route_warehouse0_mto")
        mto.active = True
        manufacture = warehouse.manufacture_pull_id.route_id
        buy = warehouse.buy_pull_id.route_id
        lines = 50
        print(f"Order of {lines} lines, 3-level BOMs of 20 components each")
        for label, pool in (("distinct parts", lines * 16), ("shared parts", 40)):
            finished, subs, parts = build(env, lines, pool, label[:1])
            env.flush_all()
            cr.execute("SAVEPOINT bench")
            export = order(env, buyer_abroad, finished)
            env.flush_all()
            with measure(cr, f"ours: export order confirm ({label}, {pool} parts)", results):
                export.action_confirm()
                env.flush_all()
            mos, pos = len(export.mrp_production_ids), len(export.sbk_purchase_order_ids)
            print(
                f"    -> {mos} MOs, {pos} RFQs, {len(export.sbk_shortage_line_ids)} shortage lines"
            )
            cr.execute("ROLLBACK TO SAVEPOINT bench")
            env.invalidate_all()
            if label != "distinct parts":
                continue
            (finished | subs).write({"route_ids": [(6, 0, (mto | manufacture).ids)]})
            parts.write({"route_ids": [(6, 0, (mto | buy).ids)]})
            env.flush_all()
            domestic = order(env, buyer_home, finished)
            env.flush_all()
            with measure(cr, f"Odoo: MTO routes, domestic order confirm ({label})", results):
                domestic.action_confirm()
                env.flush_all()
            mos = env["mrp.production"].search_count([("origin", "ilike", domestic.name)])
            print(f"    -> {mos} MOs (and their children)")
            cr.execute("ROLLBACK TO SAVEPOINT bench")
            env.invalidate_all()
        cr.rollback()
    ours = results["ours: export order confirm (distinct parts, 800 parts)"]
    odoo_std = results["Odoo: MTO routes, domestic order confirm (distinct parts)"]
    shared = results["ours: export order confirm (shared parts, 40 parts)"]
    print()
    print(f"time ratio ours / Odoo:    {ours['seconds'] / odoo_std['seconds']:.2f}")
    print(f"query ratio ours / Odoo:   {ours['queries'] / odoo_std['queries']:.2f}")
    print(
        f"queries with 40 shared parts vs 800 distinct parts: {shared['queries']} vs "
        f"{ours['queries']} ({shared['queries'] / ours['queries']:.2f})"
    )


if __name__ == "__main__":
    main()
