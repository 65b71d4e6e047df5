from odoo import models


class StockRule(models.Model):
    _inherit = "stock.rule"

    def _make_po_get_domain(self, company_id, values, partner):
        # An export order's RFQs are its own: reuse only a draft generated for the same order
        # and in the vendor's currency, never another order's or a buyer's manual RFQ.
        domain = super()._make_po_get_domain(company_id, values, partner)
        if values.get("sbk_sale_order_id"):
            supplier = values.get("supplier") or values.get("supplierinfo_id")
            domain += (("sbk_sale_order_id", "=", values["sbk_sale_order_id"]),)
            if supplier:
                domain += (("currency_id", "=", supplier.currency_id.id),)
        return domain

    def _prepare_purchase_order(self, company_id, origins, values):
        vals = super()._prepare_purchase_order(company_id, origins, values)
        first = values[0]
        if first.get("sbk_sale_order_id"):
            vals["sbk_sale_order_id"] = first["sbk_sale_order_id"]
            supplier = first.get("supplier") or first.get("supplierinfo_id")
            if supplier:
                vals["currency_id"] = supplier.currency_id.id
        return vals

    def _prepare_mo_vals(
        self,
        product_id,
        product_qty,
        product_uom,
        location_dest_id,
        name,
        origin,
        company_id,
        values,
        bom,
    ):
        vals = super()._prepare_mo_vals(
            product_id,
            product_qty,
            product_uom,
            location_dest_id,
            name,
            origin,
            company_id,
            values,
            bom,
        )
        if values.get("sbk_sale_order_id"):
            vals["sbk_sale_order_id"] = values["sbk_sale_order_id"]
            vals["sbk_shortage_line_id"] = values.get("sbk_shortage_line_id")
        return vals
