/** @odoo-module **/

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("sbk_landed_cost_outstanding_rebates_tour", {
    steps: () => [
        {
            content: "The outstanding rebates open as a pivot with the expected and received rebate",
            trigger: ".o_pivot th:contains('Expected Rebate')",
        },
        {
            content: "Columns by claim status: the received claim is there",
            trigger: ".o_pivot th:contains('Received')",
        },
        {
            content: "Switch to the list",
            trigger: "button.o_list",
            run: "click",
        },
        {
            content: "The claim line of the order with its outstanding amount",
            trigger: ".o_data_row:contains('Tour Buyer'):contains('2024-B99')",
        },
    ],
});

registry.category("web_tour.tours").add("sbk_landed_cost_term_comparison_tour", {
    steps: () => [
        {
            content: "The profit analysis compares the terms: FOB over CIF is a measure",
            trigger: ".o_pivot th:contains('FOB over CIF')",
        },
        {
            content: "The tour's customer is a row",
            trigger: ".o_pivot th:contains('Tour Buyer')",
        },
    ],
});

registry.category("web_tour.tours").add("sbk_landed_cost_settlements_tour", {
    steps: () => [
        {
            content: "The settled order is listed with its frozen real profit",
            trigger: ".o_data_row:contains('Tour Buyer') td[name='real_profit']:contains('880')",
        },
    ],
});
