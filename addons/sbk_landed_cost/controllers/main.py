import re

from werkzeug.exceptions import BadRequest, NotFound

from odoo import http
from odoo.http import content_disposition, request

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Record ids as PostgreSQL stores them: ASCII digits ("²" is a digit to Python, not to int()),
# within a 32-bit integer (a larger one fails in the database).
ID_RE = re.compile(r"[0-9]{1,10}")
MAX_ID = 2**31 - 1


def parse_ids(ids):
    """The order ids of a comma-separated list; raises ``BadRequest`` on anything else."""
    tokens = [token.strip() for token in (ids or "").split(",")]
    if not all(ID_RE.fullmatch(token) and 0 < int(token) <= MAX_ID for token in tokens):
        raise BadRequest("ids: a comma-separated list of order ids")
    return [int(token) for token in tokens]


class CostSheetController(http.Controller):
    @http.route("/sbk_landed_cost/cost_sheets", type="http", auth="user", methods=["GET"])
    def cost_sheets(self, ids="", **_kwargs):
        """The cost sheets of the given orders (comma-separated ids) as one XLSX workbook.

        400 for ids that are not order ids, 404 when none of them exists, 403 for a user who
        may not see the orders' costs.
        """
        orders = request.env["sale.order"].browse(parse_ids(ids)).exists()
        if not orders:
            raise NotFound()
        content = orders._sbk_cost_sheets_xlsx()
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Disposition", content_disposition("cost_sheets.xlsx")),
            ],
        )
