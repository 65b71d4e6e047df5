from odoo import http
from odoo.http import content_disposition, request

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SbkTradeExport(http.Controller):
    def _xlsx_response(self, content, filename):
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )

    @http.route("/sbk_trade/shipment/<int:shipment_id>/packing_list.xlsx", type="http", auth="user")
    def packing_list_xlsx(self, shipment_id):
        shipment = request.env["sbk.shipment"].browse(shipment_id).exists()
        if not shipment:
            raise request.not_found()
        shipment.check_access("read")
        filename = f"Packing List {shipment.name.replace('/', '-')}.xlsx"
        return self._xlsx_response(shipment._sbk_packing_list_xlsx(), filename)

    @http.route("/sbk_trade/declaration/<int:declaration_id>/lines.xlsx", type="http", auth="user")
    def declaration_xlsx(self, declaration_id):
        declaration = request.env["sbk.customs.declaration"].browse(declaration_id).exists()
        if not declaration:
            raise request.not_found()
        declaration.check_access("read")
        name = (declaration.name or declaration.shipment_id.name).replace("/", "-")
        return self._xlsx_response(declaration._sbk_lines_xlsx(), f"Declaration {name}.xlsx")
