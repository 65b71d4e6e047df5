/** @odoo-module **/

import { registry } from "@web/core/registry";

/** A hardware scanner is a keyboard: fast key presses on the page, then Enter. */
function scan(barcode) {
    for (const key of [...barcode, "Enter"]) {
        document.body.dispatchEvent(
            new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true })
        );
    }
}

registry.category("web_tour.tours").add("sbk_trade_loading_tour", {
    steps: () => [
        {
            content: "Open the loading screen of the shipment",
            trigger: "button[name='action_start_loading']",
            run: "click",
        },
        {
            content: "Scan one piece",
            trigger: ".o_sbk_loading_screen .o_sbk_loaded_total:contains('0')",
            run: () => scan("6901234599107"),
        },
        {
            content: "The piece is counted",
            trigger: ".o_sbk_scan_ok",
        },
        {
            content: "Scan a carton of 50",
            trigger: ".o_sbk_loaded_total:contains('1')",
            run: () => scan("16901234599104"),
        },
        {
            content: "Scan a GS1 label of 49 pieces",
            trigger: ".o_sbk_loaded_total:contains('51')",
            run: () => scan("010690123459910730" + "49"),
        },
        {
            content: "Scan something that is not on the shipment",
            trigger: ".o_sbk_loaded_total:contains('100')",
            run: () => scan("6901234599305"),
        },
        {
            content: "The scan is refused with its reason",
            trigger: ".o_sbk_scan_error:contains('is not on shipment')",
        },
        {
            content: "Scan more than planned",
            trigger: ".o_sbk_loaded_total:contains('100')",
            run: () => scan("0106901234599107" + "30" + "500"),
        },
        {
            content: "The excess is refused and nothing changed",
            trigger: ".o_sbk_scan_error:contains('Too many')",
        },
        {
            content: "Finish the loading",
            trigger: ".o_sbk_finish_loading:enabled",
            run: "click",
        },
        {
            content: "Back on the shipment, loaded",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Loaded')",
        },
    ],
});
