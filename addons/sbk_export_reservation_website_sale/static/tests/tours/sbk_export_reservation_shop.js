import { registry } from "@web/core/registry";
import * as tourUtils from "@website_sale/js/tours/tour_utils";

// 1,000 on hand, 800 locked by an export order: the shop shows and sells 200.
registry.category("web_tour.tours").add("sbk_export_reservation_shop", {
    steps: () => [
        {
            content: "The product page shows only the stock no export order holds",
            trigger: "#threshold_message:contains(/Only\\s+200(\\.00)?\\s+Units left in stock/)",
        },
        {
            content: "Ask for one more than is free",
            trigger: "input[name='add_qty']",
            run: "edit 201",
        },
        {
            content: "Add to the cart",
            trigger: "#add_to_cart",
            run: "click",
        },
        tourUtils.goToCart({ quantity: 200 }),
        {
            content: "The cart holds only what is free",
            trigger: "#cart_products input.js_quantity:value(200)",
        },
    ],
});
