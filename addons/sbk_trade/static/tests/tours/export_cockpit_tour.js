/** @odoo-module **/

import { registry } from "@web/core/registry";

const LATE = "Cockpit Buyer Late";
const CALM = "Cockpit Buyer Calm";

registry.category("web_tour.tours").add("sbk_trade_export_cockpit_tour", {
    steps: () => [
        {
            content: "Export orders open as a kanban by milestone: the late order is in Signed",
            trigger: `.o_kanban_group:has(.o_column_title:contains('Signed')) .o_kanban_record:contains('${LATE}'):contains('Late')`,
        },
        {
            content: "The order on time says so",
            trigger: `.o_kanban_record:contains('${CALM}'):contains('On Time')`,
        },
        {
            content: "Every milestone has its column",
            trigger: ".o_kanban_group .o_column_title:contains('Paid')",
        },
        {
            content: "Open the late order",
            trigger: `.o_kanban_record:contains('${LATE}')`,
            run: "click",
        },
        {
            content: "Its Trade page says why it is late",
            trigger: ".o_notebook a:contains('Trade')",
            run: "click",
        },
        {
            content: "The alert names the MO and the days against the ETD",
            trigger: ".alert-warning:contains('Production may miss the ETD'):contains('days after the ETD')",
        },
        {
            content: "The salesperson's activity is on the order",
            trigger: ".o-mail-Activity:contains('lead-time risk Late')",
        },
        {
            content: "Back to the export orders",
            trigger: ".o_breadcrumb .o_back_button, .o_breadcrumb a:contains('Export Orders')",
            run: "click",
        },
        {
            content: "Switch to the list",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "The list shows milestone, lead time, ETD and days to ETD",
            trigger: ".o_list_view th:contains('Days to ETD')",
        },
        {
            content: "Both orders are listed",
            trigger: `.o_data_row:contains('${CALM}')`,
        },
        {
            content: "Open the filters",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Filter on ETD this week",
            trigger: ".o_filter_menu .o_menu_item:contains('ETD This Week')",
            run: "click",
        },
        {
            content: "Only the order leaving this week is left",
            trigger: `.o_list_view:not(:has(.o_data_row:contains('${CALM}'))) .o_data_row:contains('${LATE}')`,
        },
    ],
});
