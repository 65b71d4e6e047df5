from odoo import http
from odoo.http import content_disposition, request

from ..report.xlsx_exports import declaration_xlsx, packing_list_xlsx, trade_document_xlsx

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ID = 2**31 - 1


class SbkTradeExport(http.Controller):
    """Downloads of the trade documents as XLSX, and what the loading screen shows."""

    def _xlsx_response(self, content, filename):
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )

    def _get_record(self, model, record_id):
        """The record as the user may read it (404 when it does not exist)."""
        # An id beyond PostgreSQL's integer (the route takes any digits) names no record; the
        # database would fail on it.
        if not 0 < record_id <= MAX_ID:
            raise request.not_found()
        record = request.env[model].browse(record_id).exists()
        if not record:
            raise request.not_found()
        record.check_access("read")
        return record

    @http.route("/sbk_trade/shipment/<int:shipment_id>/packing_list.xlsx", type="http", auth="user")
    def packing_list_xlsx(self, shipment_id):
        shipment = self._get_record("sbk.shipment", shipment_id)
        filename = f"Packing List {shipment.name.replace('/', '-')}.xlsx"
        return self._xlsx_response(packing_list_xlsx(shipment), filename)

    @http.route("/sbk_trade/declaration/<int:declaration_id>/lines.xlsx", type="http", auth="user")
    def declaration_xlsx(self, declaration_id):
        declaration = self._get_record("sbk.customs.declaration", declaration_id)
        name = (declaration.name or declaration.shipment_id.name).replace("/", "-")
        return self._xlsx_response(declaration_xlsx(declaration), f"Declaration {name}.xlsx")

    @http.route(
        "/sbk_trade/shipment/<int:shipment_id>/commercial_invoice.xlsx", type="http", auth="user"
    )
    def shipment_commercial_invoice_xlsx(self, shipment_id):
        shipment = self._get_record("sbk.shipment", shipment_id)
        document = request.env["sbk.trade.document"]._sbk_commercial_invoice_of_shipment(shipment)
        return self._document_response(document, "Commercial Invoice")

    @http.route(
        "/sbk_trade/invoice/<int:move_id>/commercial_invoice.xlsx", type="http", auth="user"
    )
    def invoice_commercial_invoice_xlsx(self, move_id):
        move = self._get_record("account.move", move_id)
        if not move.is_sale_document(include_receipts=False):
            raise request.not_found()
        document = request.env["sbk.trade.document"]._sbk_commercial_invoice_of_invoice(move)
        return self._document_response(document, "Commercial Invoice")

    @http.route("/sbk_trade/order/<int:order_id>/proforma.xlsx", type="http", auth="user")
    def order_proforma_xlsx(self, order_id):
        order = self._get_record("sale.order", order_id)
        document = request.env["sbk.trade.document"]._sbk_proforma_of_order(order)
        return self._document_response(document, "Proforma")

    def _document_response(self, document, title):
        number = (document["number"] or "").replace("/", "-")
        return self._xlsx_response(trade_document_xlsx(document), f"{title} {number}.xlsx")

    @http.route("/sbk_trade/shipment/<int:shipment_id>/loading", type="json", auth="user")
    def loading_data(self, shipment_id):
        """What the loading screen shows: the shipment, its current container and its lines."""
        shipment = self._get_record("sbk.shipment", shipment_id)
        return {
            "id": shipment.id,
            "name": shipment.name,
            "partner": shipment.partner_id.display_name,
            "state": shipment.state,
            "container": shipment.loading_container_id.container_number
            or shipment.loading_container_id.container_type
            or "",
            "total_quantity": shipment.total_quantity,
            "loaded_quantity": shipment.loaded_quantity,
            "lines": [
                {
                    "id": line.id,
                    "container": line.container_id.container_number
                    or line.container_id.container_type
                    or "",
                    "product": line.product_id.display_name,
                    "carton_range": line.carton_range or "",
                    "cartons": line.cartons,
                    "quantity": line.quantity,
                    "loaded_qty": line.loaded_qty,
                }
                for line in shipment.packing_line_ids
            ],
        }
