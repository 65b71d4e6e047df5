import base64
import logging
import os
import tempfile
from pathlib import Path

import werkzeug.urls

from odoo.tests import tagged
from odoo.tests.common import ChromeBrowser

from .common import READY_JS, DemoScreensCommon, screens_js

# The README's screenshots, one per scene, made from the running demo so that they cannot drift
# from what the product shows. A test run leaves the checkout as it is: they are written to
# .test-logs/screenshots/ of the checkout the addon is in (a temporary folder outside one), or
# to SBK_SCREENSHOTS_DIR; SBK_UPDATE_SCREENSHOTS=1 refreshes the README's, docs/screenshots/.
CHECKOUT = Path(__file__).resolve().parents[3]
DOCS_SCREENSHOTS = CHECKOUT / "docs" / "screenshots"

_logger = logging.getLogger(__name__)


def screenshots_dir():
    if os.environ.get("SBK_SCREENSHOTS_DIR"):
        path = Path(os.environ["SBK_SCREENSHOTS_DIR"])
    elif os.environ.get("SBK_UPDATE_SCREENSHOTS") == "1" and DOCS_SCREENSHOTS.is_dir():
        path = DOCS_SCREENSHOTS
    elif DOCS_SCREENSHOTS.is_dir():
        path = CHECKOUT / ".test-logs" / "screenshots"
    else:
        path = Path(tempfile.mkdtemp(prefix="sbk_screenshots_"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@tagged("post_install", "-at_install")
class TestDemoScreenshots(DemoScreensCommon):
    browser_size = "1600x1000"

    def _screenshot(self, name, url, code, ready=READY_JS, full_page=False):
        """Open ``url`` as the demo's admin, run ``code`` until it logs success, then save
        what the browser shows (``full_page``: the whole page) as ``name``.png."""
        browser = ChromeBrowser(self)
        try:
            self.authenticate("admin", "admin", browser=browser)
            self.cr.flush()
            self.cr.clear()
            browser.navigate_to(werkzeug.urls.url_join(self.base_url(), url), wait_stop=not ready)
            self.assertTrue(browser._wait_ready(ready), f"{name}: {url} never got ready")
            browser._wait_code_ok(code, 120)
            params = {}
            if full_page:
                metrics = browser._websocket_request("Page.getLayoutMetrics")["cssContentSize"]
                params = {
                    "captureBeyondViewport": True,
                    "clip": {
                        "x": 0,
                        "y": 0,
                        "scale": 1,
                        **{key: metrics[key] for key in ("width", "height")},
                    },
                }
            future = browser._websocket_send(
                "Page.captureScreenshot", params=params, with_future=True
            )
            png = base64.b64decode(future.result(timeout=60)["data"])
        finally:
            browser.stop()
            self._wait_remaining_requests()
        self.assertTrue(png.startswith(b"\x89PNG"), name)
        path = screenshots_dir() / f"{name}.png"
        path.write_bytes(png)
        _logger.info("screenshot %s written to %s", name, path)
        return path

    def _scene(self, name, screen):
        return self._screenshot(name, "/odoo", screens_js([screen], pause=1500))

    def test_screenshots_of_the_five_scenes(self):
        self._scene("1-contract", self._form("contract", "sale.order", self.contract, tabs=False))
        stock_list = self.env.ref("stock.view_stock_product_tree")
        self._scene(
            "2-export-lock",
            self._list(
                "stock",
                {
                    "type": "ir.actions.act_window",
                    "name": "Stock",
                    "res_model": "product.product",
                    "views": [[stock_list.id, "list"]],
                    "domain": [["id", "=", self.panel.id]],
                },
            ),
        )
        self._screenshot(
            "3-cost-sheet",
            f"/report/html/sbk_landed_cost.report_sbk_cost_sheet/{self.settled.id}",
            "console.log('test successful')",
            ready="document.readyState === 'complete'",
            full_page=True,
        )
        fob_cif = (self.env.ref("sbk_demo.order_fob") | self.env.ref("sbk_demo.order_cif")).ids
        profit_pivot = self.env.ref("sbk_landed_cost.view_sale_order_pivot")
        self._scene(
            "4-fob-cif",
            self._list(
                "profit by term",
                {
                    "type": "ir.actions.act_window",
                    "name": "FOB vs CIF",
                    "res_model": "sale.order",
                    "views": [[profit_pivot.id, "pivot"]],
                    "domain": [["id", "in", fob_cif]],
                    "context": {
                        "pivot_row_groupby": ["name"],
                        "pivot_column_groupby": [],
                        "pivot_measures": [
                            "sbk_revenue",
                            "sbk_profit_fob",
                            "sbk_profit_cif",
                            "sbk_real_profit",
                            "sbk_real_margin",
                        ],
                    },
                },
                ".o_view_controller .o_pivot table",
            ),
        )
        # One carton and a GS1 label of 120 pieces scanned: the counts the README tells.
        self._scene(
            "5-loading", self._loading_screen(["16901234500100", "0106901234500103" + "30120"])
        )
