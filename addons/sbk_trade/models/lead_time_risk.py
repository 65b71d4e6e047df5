"""Lead-time risk of export orders: the expected finish of their MOs, and the alert.

Not a model: ``sale.order`` uses it to compute ``sbk_lead_time_risk`` (docs/trade-formulas.md,
"Lead-time risk") for a batch of orders, and to tell the people concerned when the risk of
an order rises: an activity for the salesperson on the order and, for each late MO, one for
its responsible (the MO's, else the product's), saying which MO or purchase is late and by
how many days against the ETD. The activities are closed when the risk falls.

The finish ``F`` of an order is the latest expected finish of its MOs: as planned (or as the
MES reported it), pushed back when a component the MO waits for is now due after the MO's
planned start (a purchase not yet received, a sub-assembly MO), or when its planned start or
finish has passed. The arithmetic is ``tools.lead_time``.
"""

from collections import defaultdict

from odoo import fields
from odoo.tools import float_compare, format_date

from ..tools import lead_time
from ..tools.lead_time import RISK_RANK, expected_finishes, lead_time_risk
from ..tools.notes import html_list

ACTIVITY_TYPE = "sbk_trade.mail_activity_type_sbk_lead_time_risk"
MO_STATES = {
    "draft": lead_time.WAITING,
    "confirmed": lead_time.WAITING,
    "progress": lead_time.STARTED,
    "to_close": lead_time.STARTED,
    "done": lead_time.DONE,
}


class LeadTimeEvaluation:
    """The MOs and purchases of a batch of orders, read once, and what they mean for each."""

    def __init__(self, orders):
        # The risk summarises MOs and purchases the salesperson may not be allowed to open.
        self.orders = orders.sudo()
        self.env = self.orders.env
        self.productions = defaultdict(lambda: self.env["mrp.production"])
        self.purchase_lines = defaultdict(lambda: self.env["purchase.order.line"])
        self._expected = {}
        # A cancelled order has nothing left to ship: no risk, whatever its MOs became.
        real = self.orders.filtered(lambda o: o.id and o.state != "cancel")
        if not real:
            return
        for production in real.sbk_production_ids:
            if production.state != "cancel":
                self.productions[production.sbk_sale_order_id] |= production
        for line in real.sbk_purchase_line_ids:
            if line.state == "cancel" or line.display_type:
                continue
            received = float_compare(
                line.qty_received, line.product_qty, precision_rounding=line.product_uom.rounding
            )
            if received < 0:
                self.purchase_lines[line.sbk_sale_order_id] |= line

    def today(self, order):
        return fields.Date.context_today(order)

    def expected(self, order):
        """{MO: tools.lead_time.Expected} for the order's MOs that are not cancelled."""
        if order not in self._expected:
            productions = self.productions[order]
            items = [
                lead_time.Production(
                    production,
                    production.product_id,
                    production.date_start.date(),
                    production.date_finished.date(),
                    MO_STATES.get(production.state, lead_time.WAITING),
                    tuple(
                        production.move_raw_ids.filtered(lambda m: m.state != "cancel").product_id
                    ),
                )
                for production in productions
                if production.date_start and production.date_finished
            ]
            supplies = [
                lead_time.Supply(line, line.product_id, line.date_planned.date())
                for line in self.purchase_lines[order]
                if line.date_planned
            ]
            self._expected[order] = expected_finishes(items, supplies, self.today(order))
        return self._expected[order]

    def planned_finish(self, order):
        """Latest planned (or MES-reported) finish of the order's MOs, as a datetime."""
        return max(self.productions[order].mapped("date_finished"), default=False)

    def expected_finish(self, order):
        return max((e.finish for e in self.expected(order).values()), default=False)

    def risk(self, order):
        return lead_time_risk(
            self.expected_finish(order), order.sbk_etd, order.company_id.sbk_shipping_buffer_days
        )

    # -- explanation -------------------------------------------------------------------

    def late_productions(self, order):
        """The MOs that put the order at risk, latest first: [(MO, Expected, risk)]."""
        buffer_days = order.company_id.sbk_shipping_buffer_days
        found = []
        for production, expected in self.expected(order).items():
            risk = lead_time_risk(expected.finish, order.sbk_etd, buffer_days)
            if risk != "none":
                found.append((production, expected, risk))
        return sorted(found, key=lambda item: (item[1].finish, item[0].id), reverse=True)

    def reasons(self, order):
        """One sentence per MO that puts the order at risk, in the order's user's language."""
        env = self.env(context=dict(self.env.context, lang=order.user_id.lang or self.env.lang))
        return [
            self._reason(env, order, production, expected)
            for production, expected, _risk in self.late_productions(order)
        ]

    def _reason(self, env, order, production, expected):
        etd = order.sbk_etd
        days = (expected.finish - etd).days
        product = production.product_id.with_env(env).display_name
        finish = format_date(env, expected.finish)
        if days > 0:
            text = env._(
                "%(mo)s (%(product)s) finishes on %(finish)s, %(days)s days after the ETD %(etd)s.",
                mo=production.name,
                product=product,
                finish=finish,
                days=days,
                etd=format_date(env, etd),
            )
        else:
            text = env._(
                "%(mo)s (%(product)s) finishes on %(finish)s, %(days)s days before the ETD "
                "%(etd)s: less than the %(buffer)s-day shipping buffer.",
                mo=production.name,
                product=product,
                finish=finish,
                days=-days,
                etd=format_date(env, etd),
                buffer=order.company_id.sbk_shipping_buffer_days,
            )
        cause = expected.cause
        if cause is not None and cause._name == "purchase.order.line":
            due = cause.date_planned.date()
            overdue = (self.today(order) - due).days
            purchase = {
                "po": cause.order_id.name,
                "vendor": cause.order_id.partner_id.display_name,
                "component": cause.product_id.with_env(env).display_name,
                "due": format_date(env, due),
            }
            if overdue > 0:
                text += " " + env._(
                    "It waits for %(po)s (%(vendor)s, %(component)s), due on %(due)s and "
                    "%(late)s days late.",
                    late=overdue,
                    **purchase,
                )
            else:
                text += " " + env._(
                    "It waits for %(po)s (%(vendor)s, %(component)s), expected on %(due)s, "
                    "%(shift)s days after the MO's planned start.",
                    shift=expected.shift_days,
                    **purchase,
                )
        elif cause is not None:
            text += " " + env._(
                "It waits for %(mo)s (%(component)s), expected to finish on %(finish)s.",
                mo=cause.name,
                component=cause.product_id.with_env(env).display_name,
                finish=format_date(env, expected.cause_date),
            )
        elif expected.overdue and MO_STATES.get(production.state) == lead_time.STARTED:
            text += " " + env._(
                "It was planned to finish on %(planned)s and is still in progress.",
                planned=format_date(env, production.date_finished.date()),
            )
        elif expected.overdue:
            text += " " + env._(
                "It was planned to start on %(planned)s and has not started.",
                planned=format_date(env, production.date_start.date()),
            )
        return text


def follow_risk_changes(orders, before):
    """Open or close the lead-time activities of ``orders`` whose risk moved from ``before``
    ({order id: previous risk}): a rise replaces the open alerts with new ones saying why, a
    fall closes them."""
    risen = orders.filtered(
        lambda o: RISK_RANK[o.sbk_lead_time_risk] > RISK_RANK[before.get(o.id) or "none"]
    )
    fallen = orders.filtered(
        lambda o: RISK_RANK[o.sbk_lead_time_risk] < RISK_RANK[before.get(o.id) or "none"]
    )
    if not risen and not fallen:
        return
    # Alerts are the orders' own bookkeeping, raised by whoever moved a document the risk
    # depends on (a warehouse user, the MES, the cron).
    orders = orders.sudo()
    env = orders.env
    labels = dict(orders._fields["sbk_lead_time_risk"]._description_selection(env))
    for order in fallen:
        _open_alerts(order).action_feedback(
            feedback=env._("The risk fell to %s.", labels[order.sbk_lead_time_risk])
        )
    if not risen:
        return
    evaluation = LeadTimeEvaluation(risen)
    for order in risen:
        _open_alerts(order).action_feedback(
            feedback=env._("The risk rose to %s.", labels[order.sbk_lead_time_risk])
        )
        reasons = evaluation.reasons(order)
        order.activity_schedule(
            ACTIVITY_TYPE,
            user_id=order.user_id.id or env.uid,
            summary=env._(
                "%(order)s: lead-time risk %(risk)s",
                order=order.name,
                risk=labels[order.sbk_lead_time_risk],
            ),
            note=html_list(
                env._(
                    "ETD %(etd)s, shipping buffer %(buffer)s days.",
                    etd=format_date(env, order.sbk_etd),
                    buffer=order.company_id.sbk_shipping_buffer_days,
                ),
                reasons,
            ),
        )
        late = [
            (production, reason)
            for (production, _expected, risk), reason in zip(
                evaluation.late_productions(order), reasons, strict=True
            )
            if risk == "late"
        ]
        for production, reason in late:
            planner = production.user_id or production.product_id.responsible_id
            if not planner:
                continue
            production.activity_schedule(
                ACTIVITY_TYPE,
                user_id=planner.id,
                summary=env._("%(mo)s is late for %(order)s", mo=production.name, order=order.name),
                note=html_list(order.name, [reason]),
            )


def _open_alerts(order):
    """The order's open lead-time activities, and those of its MOs."""
    activity_type = order.env.ref(ACTIVITY_TYPE, raise_if_not_found=False)
    if not activity_type:
        return order.env["mail.activity"]
    records = [("sale.order", order.ids), ("mrp.production", order.sbk_production_ids.ids)]
    domain = ["|"] * (len(records) - 1)
    for model, ids in records:
        domain += ["&", ("res_model", "=", model), ("res_id", "in", ids)]
    return order.env["mail.activity"].search([("activity_type_id", "=", activity_type.id), *domain])
