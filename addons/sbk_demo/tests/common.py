import json

from odoo.tests import HttpCase

# Opens screens one after the other in the running web client and fails on the first client
# error: an error dialog, a screen that does not render, a console error (browser_js).
# ``screens``: [{name, action (an XML id or an action dict), selector, tabs, scans}]; each screen is
# left open ``pause`` ms for its late requests. ``chinese``: the screen must show Chinese text.
SCREENS_JS = """
(async () => {
    const screens = %(screens)s;
    const chinese = %(chinese)s;
    const env = odoo.__WOWL_DEBUG__.root.env;
    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    const errorShown = () => {
        const dialog = document.querySelector(".o_error_dialog, .o_dialog .modal-title");
        return dialog ? dialog.closest(".modal").innerText : "";
    };
    const waitFor = async (screen, selector) => {
        for (let i = 0; i < 300; i++) {
            const error = errorShown();
            if (error) {
                throw new Error(`${screen.name}: ${error}`);
            }
            const element = document.querySelector(selector);
            if (element) {
                return element;
            }
            await sleep(100);
        }
        throw new Error(`${screen.name}: ${selector} never appeared`);
    };
    for (const screen of screens) {
        await env.services.action.doAction(screen.action, {clearBreadcrumbs: true});
        await waitFor(screen, screen.selector);
        await sleep(%(pause)s);
        for (const barcode of screen.scans || []) {
            env.services.barcode.bus.trigger("barcode_scanned", {barcode});
            await sleep(1000);
        }
        if (screen.tabs) {
            for (const tab of document.querySelectorAll(".o_notebook_headers .nav-link")) {
                tab.click();
                await sleep(300);
            }
        }
        const error = errorShown();
        if (error) {
            throw new Error(`${screen.name}: ${error}`);
        }
        const main = document.querySelector(".o_action_manager").innerText;
        if (chinese && !/[\\u4e00-\\u9fff]/.test(main)) {
            throw new Error(`${screen.name}: no Chinese text on the screen`);
        }
    }
})().then(
    () => console.log("test successful"),
    (error) => console.error("Screen check failed: " + (error.message || error))
);
"""
LIST_SELECTOR = ".o_view_controller :is(.o_data_row, .o_group_header, .o_kanban_record)"
READY_JS = "!!(odoo.__WOWL_DEBUG__ && odoo.__WOWL_DEBUG__.root)"


def screens_js(screens, chinese=False, pause=500):
    return SCREENS_JS % {
        "screens": json.dumps(screens),
        "chinese": json.dumps(chinese),
        "pause": pause,
    }


class DemoScreensCommon(HttpCase):
    """The demo's documents and screens, as the web client opens them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.company = ref("sbk_demo.company_ningbo")
        cls.contract = ref("sbk_demo.order_contract")
        cls.settled = ref("sbk_demo.order_settled")
        cls.shipment_loading = ref("sbk_demo.shipment_loading")
        cls.declaration = ref("sbk_demo.declaration_settled")
        cls.panel = ref("sbk_demo.order_locked").order_line.product_id

    @staticmethod
    def _form(name, model, record, tabs=True):
        return {
            "name": name,
            "action": {
                "type": "ir.actions.act_window",
                "res_model": model,
                "res_id": record.id,
                "views": [[False, "form"]],
            },
            "selector": ".o_form_view .o_form_sheet",
            "tabs": tabs,
        }

    @staticmethod
    def _list(name, action, selector=LIST_SELECTOR):
        return {"name": name, "action": action, "selector": selector, "tabs": False}

    def _loading_screen(self, scans=()):
        return {
            "scans": list(scans),
            "name": "loading screen",
            "action": {
                "type": "ir.actions.client",
                "tag": "sbk_trade.loading_screen",
                "params": {"shipment_id": self.shipment_loading.id},
            },
            "selector": ".o_sbk_loading_screen .o_sbk_shipment_name",
            "tabs": False,
        }
