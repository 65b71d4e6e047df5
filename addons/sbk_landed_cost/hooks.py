def post_init_hook(env):
    """Compute the figures of the orders that exist when the module is installed; give the
    companies their chart's bank charges account."""
    env["res.company"].search([])._sbk_set_default_bank_charge_account()
    orders = env["sale.order"].search([("state", "!=", "cancel")], order="id")
    for start in range(0, len(orders), 1000):
        orders[start : start + 1000]._sbk_recompute_costs()
