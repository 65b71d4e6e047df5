"""Export order confirmation: our chain vs Odoo's own make-to-order routes.

An order of N lines (default 50); each product has a 3-level BOM of 20 components: 4
sub-assemblies (made) of 4 bought parts each. Confirmed in a transaction that is rolled back:

- **ours**: the products keep Odoo's default make-to-stock route; the order is an export order,
  so its confirmation plans MOs, the shortage list and RFQs;
- **Odoo**: the same products with MTO + Manufacture (finished goods, sub-assemblies) and
  MTO + Buy (parts); the same order as a domestic order, so only Odoo's procurement runs.

Each is measured ``--rounds`` times, alternating, and the fastest run counts (the machine is
shared: the slower runs measure the neighbours). Prints time, SQL queries and the ratios
against the targets (0.7 x Odoo for both), then the same order whose lines share their
components (10 sub-assemblies and 40 parts for the 50 products, same BOM lines): one MO per
distinct sub-assembly feeds every line that needs it, and the queries follow the distinct
components, not BOM lines x order lines.

``--profile FILE`` also writes a cProfile of one of our confirmations (read it with
``python -m pstats FILE``).
"""

import cProfile

from common import create_database, environment, measure, parser

TARGET = 0.7


def build(env, lines, subs_pool, parts_pool, tag):
    """Products, BOMs and vendors; sub-assemblies and parts taken round-robin from pools."""
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
        [{"name": f"Bench Sub {tag}{i}", "is_storable": True} for i in range(subs_pool)]
    )
    boms = []
    for i, product in enumerate(finished):
        my_subs = [subs[(i * 4 + j) % subs_pool] for j in range(4)]
        boms.append(
            {
                "product_tmpl_id": product.product_tmpl_id.id,
                "bom_line_ids": [(0, 0, {"product_id": s.id, "product_qty": 1}) for s in my_subs],
            }
        )
    for k, sub in enumerate(subs):
        sub_lines = [
            (0, 0, {"product_id": parts[(k * 4 + j) % parts_pool].id, "product_qty": 2})
            for j in range(4)
        ]
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


def confirm(env, cr, sale_order, label, results, profile=None):
    """Confirm ``sale_order`` measured; return the number of MOs and RFQs it created."""
    last_mo = env["mrp.production"].search([], order="id desc", limit=1).id
    last_po = env["purchase.order"].search([], order="id desc", limit=1).id
    env.flush_all()
    profiler = cProfile.Profile() if profile else None
    with measure(cr, label, results):
        if profiler:
            profiler.enable()
        sale_order.action_confirm()
        env.flush_all()
        if profiler:
            profiler.disable()
    if profiler:
        profiler.dump_stats(profile)
    mos = env["mrp.production"].search_count([("id", ">", last_mo)])
    pos = env["purchase.order"].search_count([("id", ">", last_po)])
    return mos, pos


def best(runs):
    return min(runs, key=lambda r: r["seconds"])


def main():
    arguments = parser(__doc__)
    arguments.add_argument("--lines", type=int, default=50)
    arguments.add_argument("--rounds", type=int, default=3)
    arguments.add_argument("--profile", help="write a cProfile of our confirmation here")
    args = arguments.parse_args()
    if args.create:
        create_database(args.db)
    odoo, registry = environment(args.db)
    lines = args.lines
    runs = {"ours": [], "odoo": [], "shared": []}
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
        finished, subs, parts = build(env, lines, lines * 4, lines * 16, "D")
        shared_finished, shared_subs, shared_parts = build(env, lines, 10, 40, "S")
        env.flush_all()
        print(f"Order of {lines} lines, 3-level BOMs of 20 components each")
        print(
            f"  distinct components: {len(subs)} sub-assemblies, {len(parts)} parts; "
            f"shared: {len(shared_subs)} sub-assemblies, {len(shared_parts)} parts"
        )
        for round_no in range(args.rounds):
            results = {}
            cr.execute("SAVEPOINT bench")
            export = order(env, buyer_abroad, finished)
            profile = args.profile if round_no == args.rounds - 1 else None
            mos, pos = confirm(env, cr, export, "ours: export order", results, profile)
            runs["ours"].append({**results["ours: export order"], "mos": mos, "pos": pos})
            cr.execute("ROLLBACK TO SAVEPOINT bench")
            env.invalidate_all()

            cr.execute("SAVEPOINT bench")
            (finished | subs).write({"route_ids": [(6, 0, (mto | manufacture).ids)]})
            parts.write({"route_ids": [(6, 0, (mto | buy).ids)]})
            domestic = order(env, buyer_home, finished)
            mos, pos = confirm(env, cr, domestic, "Odoo: MTO routes, domestic order", results)
            runs["odoo"].append(
                {**results["Odoo: MTO routes, domestic order"], "mos": mos, "pos": pos}
            )
            cr.execute("ROLLBACK TO SAVEPOINT bench")
            env.invalidate_all()

            cr.execute("SAVEPOINT bench")
            export = order(env, buyer_abroad, shared_finished)
            mos, pos = confirm(env, cr, export, "ours: shared components", results)
            runs["shared"].append({**results["ours: shared components"], "mos": mos, "pos": pos})
            cr.execute("ROLLBACK TO SAVEPOINT bench")
            env.invalidate_all()
        cr.rollback()
    ours, odoo_std, shared = best(runs["ours"]), best(runs["odoo"]), best(runs["shared"])
    time_ratio = ours["seconds"] / odoo_std["seconds"]
    # Each round's ours and Odoo run back to back: their ratio cancels slow load drift.
    paired = sorted(
        o["seconds"] / d["seconds"] for o, d in zip(runs["ours"], runs["odoo"], strict=True)
    )
    paired_median = paired[len(paired) // 2]
    query_ratio = ours["queries"] / odoo_std["queries"]
    print()
    print(f"fastest of {args.rounds} rounds:")
    for label, run in (("ours", ours), ("Odoo MTO", odoo_std), ("ours, shared", shared)):
        print(
            f"  {label:<14} {run['seconds']:7.2f} s {run['queries']:7d} queries "
            f"{run['mos']:4d} MOs {run['pos']:3d} RFQs/POs"
        )
    print(
        f"time ratio ours / Odoo:    {time_ratio:.2f}  (target <= {TARGET}: "
        f"{'met' if time_ratio <= TARGET else 'NOT met'})"
    )
    print(
        f"time ratio per round:      {', '.join(f'{r:.2f}' for r in paired)} "
        f"(median {paired_median:.2f})"
    )
    print(
        f"query ratio ours / Odoo:   {query_ratio:.2f}  (target <= {TARGET}: "
        f"{'met' if query_ratio <= TARGET else 'NOT met'})"
    )
    print(
        f"shared components ({len(shared_subs)} sub-assemblies, {len(shared_parts)} parts): "
        f"{shared['mos']} MOs = {lines} + one per distinct sub-assembly; "
        f"{shared['queries']} queries vs {ours['queries']} with distinct components "
        f"({shared['queries'] / ours['queries']:.2f})"
    )


if __name__ == "__main__":
    main()
