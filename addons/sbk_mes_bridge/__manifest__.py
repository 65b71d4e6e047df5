# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "SBK MES Bridge",
    "summary": "Manufacturing orders to the MES and production progress back, over XML-RPC",
    "version": "18.0.1.0.0",
    "category": "Manufacturing/Manufacturing",
    "author": "SBK Trade Bridge",
    "website": "https://github.com/sbk-trade-bridge",
    "license": "LGPL-3",
    "depends": ["sbk_trade", "mrp"],
}
