from odoo import http
from odoo.http import content_disposition, request

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CostSheetController(http.Controller):
    @http.route("/sbk_landed_cost/cost_sheets", type="http", auth="user", methods=["GET"])
    def cost_sheets(self, ids="", **_kwargs):
        """The cost sheets of the given orders (comma-separated ids) as one XLSX workbook."""
        order_ids = [int(i) for i in ids.split(",") if i.strip().isdigit()]
        orders = request.env["sale.order"].browse(order_ids).exists()
        content = orders._sbk_cost_sheets_xlsx()
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Disposition", content_disposition("cost_sheets.xlsx")),
            ],
        )
