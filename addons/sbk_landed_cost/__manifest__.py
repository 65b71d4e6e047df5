# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "SBK Landed Cost",
    "summary": "Six-dimension landed cost, export rebate and FOB / CIF / landed profit per order",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "SBK Trade Bridge",
    "website": "https://github.com/sbk-trade-bridge",
    "license": "LGPL-3",
    "depends": ["sbk_trade", "purchase_stock", "stock_account"],
}
