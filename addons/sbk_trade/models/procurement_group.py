from odoo import api, models

from .planning_batch import batch_memo


class ProcurementGroup(models.Model):
    _inherit = "procurement.group"

    @api.model
    def _search_rule_for_warehouses(
        self, route_ids, packaging_id, product_id, warehouse_ids, domain
    ):
        # Inside an export order's planning, procurements that share routes, packaging,
        # warehouse and domain find the same rules: search them once (a product counts only
        # through its routes, as in Odoo's own search).
        memo = batch_memo()
        if memo is None:
            return super()._search_rule_for_warehouses(
                route_ids, packaging_id, product_id, warehouse_ids, domain
            )
        product_routes = product_id.route_ids | product_id.categ_id.total_route_ids
        key = (
            "rules_for_warehouses",
            self.env.uid,
            self.env.su,
            tuple(self.env.companies.ids),
            tuple(route_ids.ids) if route_ids else (),
            packaging_id.id if packaging_id else False,
            tuple(sorted(product_routes.ids)),
            tuple(warehouse_ids.ids) if warehouse_ids else (),
            repr(domain),
        )
        if key not in memo:
            memo[key] = super()._search_rule_for_warehouses(
                route_ids, packaging_id, product_id, warehouse_ids, domain
            )
        return memo[key]
