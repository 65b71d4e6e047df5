from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_compare, float_is_zero

from ..tools.barcode_scan import clean_scan
from ..tools.packing import carton_ranges, iso6346_normalize, stow
from ..tools.trade_documents import default_shipping_marks

SHIPMENT_STATES = [
    ("draft", "Draft"),
    ("loading", "Loading"),
    ("loaded", "Loaded"),
    ("cleared", "Customs Cleared"),
    ("cancel", "Cancelled"),
]


class SbkShipment(models.Model):
    """An export shipment: the deliveries of one buyer stowed in containers, loaded by scan."""

    _name = "sbk.shipment"
    _description = "Export Shipment"
    _inherit = ["mail.thread", "mail.activity.mixin", "sbk.action.state.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference", required=True, copy=False, readonly=True, default="/", index="trigram"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Buyer",
        required=True,
        tracking=True,
        check_company=True,
        domain="[('parent_id', '=', False)]",
    )
    picking_ids = fields.Many2many(
        "stock.picking",
        "sbk_shipment_picking_rel",
        "shipment_id",
        "picking_id",
        string="Export Deliveries",
        check_company=True,
        domain="[('picking_type_code', '=', 'outgoing'), ('state', 'not in', ('draft', 'cancel')),"
        " ('partner_id', 'child_of', partner_id)]",
    )
    sale_order_ids = fields.Many2many(
        "sale.order",
        "sbk_shipment_sale_order_rel",
        "shipment_id",
        "sale_order_id",
        string="Export Orders",
        compute="_compute_sale_order_ids",
        store=True,
    )
    container_ids = fields.One2many("sbk.shipment.container", "shipment_id", string="Containers")
    packing_line_ids = fields.One2many("sbk.packing.line", "shipment_id", string="Packing List")
    scan_ids = fields.One2many("sbk.shipment.scan", "shipment_id", string="Scans")
    declaration_ids = fields.One2many(
        "sbk.customs.declaration", "shipment_id", string="Customs Declarations"
    )
    state = fields.Selection(
        SHIPMENT_STATES, default="draft", required=True, copy=False, tracking=True, index=True
    )
    port_of_loading = fields.Char(
        compute="_compute_ports", store=True, readonly=False, tracking=True
    )
    port_of_discharge = fields.Char(
        compute="_compute_ports", store=True, readonly=False, tracking=True
    )
    vessel = fields.Char(tracking=True)
    voyage = fields.Char(tracking=True)
    etd = fields.Date(
        string="ETD", compute="_compute_ports", store=True, readonly=False, tracking=True
    )
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    consignee_id = fields.Many2one(
        "res.partner",
        compute="_compute_parties",
        store=True,
        readonly=False,
        tracking=True,
        help="Whom the goods are consigned to on the documents: the export order's delivery "
        "address unless changed.",
    )
    notify_partner_id = fields.Many2one(
        "res.partner",
        string="Notify Party",
        compute="_compute_parties",
        store=True,
        readonly=False,
        tracking=True,
        help='Whom the carrier notifies on arrival; left empty, the documents say "same as '
        'consignee".',
    )
    shipping_marks = fields.Text(
        help="The marks on the cartons, as the documents print them. Left empty: the export "
        "order's marks, else the buyer, the order numbers, the port of discharge and the "
        "carton numbers (C/NO. 1-N).",
    )
    printed_shipping_marks = fields.Text(
        string="Marks Printed", compute="_compute_printed_shipping_marks"
    )
    loading_container_id = fields.Many2one(
        "sbk.shipment.container",
        string="Container Being Loaded",
        domain="[('shipment_id', '=', id)]",
        help="Scans count on this container's lines first. Scanning a container number "
        "switches to it.",
    )
    total_quantity = fields.Float(
        compute="_compute_totals", store=True, digits="Product Unit of Measure"
    )
    total_cartons = fields.Integer(compute="_compute_totals", store=True)
    total_net_weight = fields.Float(string="Total N.W. (kg)", compute="_compute_totals", store=True)
    total_gross_weight = fields.Float(
        string="Total G.W. (kg)", compute="_compute_totals", store=True
    )
    total_volume = fields.Float(string="Total Volume (m³)", compute="_compute_totals", store=True)
    loaded_quantity = fields.Float(
        compute="_compute_totals", store=True, digits="Product Unit of Measure"
    )
    loading_progress = fields.Float(compute="_compute_totals", store=True, digits=(5, 1))
    packing_warning = fields.Text(compute="_compute_packing_warning")
    picking_count = fields.Integer(compute="_compute_counts")
    sale_order_count = fields.Integer(compute="_compute_counts")
    declaration_count = fields.Integer(compute="_compute_counts")

    # -- computes ------------------------------------------------------------------------

    @api.depends("picking_ids.sale_id")
    def _compute_sale_order_ids(self):
        for shipment in self:
            shipment.sale_order_ids = shipment.picking_ids.sale_id

    @api.depends("sale_order_ids")
    def _compute_ports(self):
        for shipment in self:
            orders = shipment.sale_order_ids.sorted("id")[:1]
            shipment.port_of_loading = shipment.port_of_loading or orders.sbk_port_of_loading
            shipment.port_of_discharge = shipment.port_of_discharge or orders.sbk_port_of_discharge
            shipment.etd = shipment.etd or orders.sbk_etd

    @api.depends("sale_order_ids", "partner_id")
    def _compute_parties(self):
        for shipment in self:
            order = shipment.sale_order_ids.sorted("id")[:1]
            shipment.consignee_id = (
                shipment.consignee_id or order.partner_shipping_id or shipment.partner_id
            )
            shipment.notify_partner_id = shipment.notify_partner_id or order.sbk_notify_partner_id

    @api.depends(
        "shipping_marks",
        "sale_order_ids.sbk_shipping_marks",
        "partner_id",
        "port_of_discharge",
        "total_cartons",
    )
    def _compute_printed_shipping_marks(self):
        for shipment in self:
            orders = shipment.sale_order_ids.sorted("id")
            shipment.printed_shipping_marks = (
                shipment.shipping_marks
                or orders[:1].sbk_shipping_marks
                or default_shipping_marks(
                    shipment.partner_id.commercial_partner_id.name,
                    orders.mapped(lambda o: o.client_order_ref or o.name),
                    shipment.port_of_discharge,
                    shipment.total_cartons,
                )
            )

    @api.depends("sale_order_ids.currency_id", "company_id")
    def _compute_currency_id(self):
        for shipment in self:
            currencies = shipment.sale_order_ids.currency_id
            shipment.currency_id = (
                currencies if len(currencies) == 1 else shipment.company_id.currency_id
            )

    @api.depends(
        "packing_line_ids.quantity",
        "packing_line_ids.cartons",
        "packing_line_ids.net_weight",
        "packing_line_ids.gross_weight",
        "packing_line_ids.volume",
        "packing_line_ids.loaded_qty",
    )
    def _compute_totals(self):
        for shipment in self:
            lines = shipment.packing_line_ids
            shipment.total_quantity = sum(lines.mapped("quantity"))
            shipment.total_cartons = sum(lines.mapped("cartons"))
            shipment.total_net_weight = sum(lines.mapped("net_weight"))
            shipment.total_gross_weight = sum(lines.mapped("gross_weight"))
            shipment.total_volume = sum(lines.mapped("volume"))
            shipment.loaded_quantity = sum(lines.mapped("loaded_qty"))
            shipment.loading_progress = (
                100.0 * shipment.loaded_quantity / shipment.total_quantity
                if shipment.total_quantity
                else 0.0
            )

    @api.depends("packing_line_ids.product_id", "container_ids.capacity_warning")
    def _compute_packing_warning(self):
        for shipment in self:
            warnings = []
            lacking = shipment.packing_line_ids.product_id.filtered(
                lambda p: not p.product_tmpl_id._sbk_has_packing()
            )
            if lacking:
                warnings.append(
                    self.env._(
                        "No packing spec (pieces per carton and carton size) for: %s. They "
                        "count no cartons, and their weights and volume come from the product's "
                        "own weight and volume.",
                        ", ".join(lacking.mapped("display_name")),
                    )
                )
            warnings += [c.capacity_warning for c in shipment.container_ids if c.capacity_warning]
            shipment.packing_warning = "\n".join(warnings) or False

    def _compute_counts(self):
        for shipment in self:
            shipment.picking_count = len(shipment.picking_ids)
            shipment.sale_order_count = len(shipment.sale_order_ids)
            shipment.declaration_count = len(shipment.declaration_ids)

    # -- constraints ---------------------------------------------------------------------

    @api.constrains("picking_ids", "partner_id", "state")
    def _check_picking_ids(self):
        for shipment in self:
            buyer = shipment.partner_id.commercial_partner_id
            for picking in shipment.picking_ids:
                if picking.picking_type_code != "outgoing":
                    raise ValidationError(
                        self.env._(
                            "%(picking)s is not a delivery: only deliveries to the buyer can be "
                            "shipped.",
                            picking=picking.name,
                        )
                    )
                if picking.partner_id.commercial_partner_id != buyer:
                    raise ValidationError(
                        self.env._(
                            "%(picking)s goes to %(partner)s, not to the shipment's buyer "
                            "%(buyer)s.",
                            picking=picking.name,
                            partner=picking.partner_id.display_name,
                            buyer=buyer.display_name,
                        )
                    )
            if shipment.state == "cancel" or not shipment.picking_ids:
                continue
            others = self.search(
                [
                    ("id", "!=", shipment.id),
                    ("state", "!=", "cancel"),
                    ("picking_ids", "in", shipment.picking_ids.ids),
                ],
                limit=1,
            )
            if others:
                shared = shipment.picking_ids & others.picking_ids
                raise ValidationError(
                    self.env._(
                        "%(pickings)s already ship with %(shipment)s.",
                        pickings=", ".join(shared.mapped("name")),
                        shipment=others.name,
                    )
                )

    # -- CRUD ----------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id"))
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_company(company or self.env.company)
                    .next_by_code("sbk.shipment")
                    or "/"
                )
        shipments = super().create(vals_list)
        shipments._sbk_generate_packing_lines()
        return shipments

    def write(self, vals):
        result = super().write(vals)
        if "picking_ids" in vals:
            self._sbk_generate_packing_lines()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_loaded(self):
        for shipment in self:
            if shipment.state not in ("draft", "cancel"):
                raise UserError(
                    self.env._(
                        "%s has been loaded: cancel it instead of deleting it.", shipment.name
                    )
                )

    # -- packing list --------------------------------------------------------------------

    def _sbk_get_moves_to_pack(self):
        self.ensure_one()
        return self.picking_ids.move_ids.filtered(
            lambda m: m.state not in ("cancel", "done") and m.product_id.type == "consu"
        ).sorted(lambda m: (m.picking_id.id, m.sequence, m.id))

    def _sbk_generate_packing_lines(self):
        """Rebuild the packing list from the deliveries, the packing specs and the containers.

        Carton numbers run on through the shipment; lines are split at carton boundaries when
        a container is full (docs/trade-formulas.md, "Packing").
        """
        capacities = self.env["sbk.container.type"]._get_capacities()
        for shipment in self:
            if shipment.state not in ("draft", "loading"):
                raise UserError(
                    self.env._(
                        "%s is already loaded: its deliveries and containers can no longer change.",
                        shipment.name,
                    )
                )
            if any(shipment.packing_line_ids.mapped("loaded_qty")):
                raise UserError(
                    self.env._(
                        "Loading of %s has started: finish it, or reset the loaded quantities, "
                        "before changing deliveries or containers.",
                        shipment.name,
                    )
                )
            moves = shipment._sbk_get_moves_to_pack()
            containers = shipment.container_ids.sorted(lambda c: (c.sequence, c.id))
            specs = []
            for move in moves:
                template = move.product_id.product_tmpl_id
                has_spec = template._sbk_has_packing()
                specs.append(
                    (
                        move.product_qty,
                        template.sbk_pcs_per_carton if has_spec else 0,
                        template.sbk_carton_cbm,
                        template.sbk_carton_gross_weight,
                    )
                )
            stowage = stow(
                specs, [capacities.get(c.container_type, (0.0, 0.0)) for c in containers]
            )
            ranges = carton_ranges([part.cartons for part in stowage])
            commands = [Command.delete(line.id) for line in shipment.packing_line_ids]
            for sequence, (part, (first, last)) in enumerate(zip(stowage, ranges, strict=True)):
                move = moves[part.line]
                commands.append(
                    Command.create(
                        shipment._sbk_prepare_packing_line_vals(
                            move,
                            part,
                            first,
                            last,
                            containers[part.container] if part.container is not None else False,
                            sequence,
                        )
                    )
                )
            # Packing lines are read-only to users (access rights): the shipment alone makes
            # them, from its deliveries and containers, checked above.
            shipment.sudo().with_context(sbk_packing_regeneration=True).write(
                {"packing_line_ids": commands, "loading_container_id": containers[:1].id}
            )

    def _sbk_prepare_packing_line_vals(self, move, part, first, last, container, sequence):
        packing = move.product_id._sbk_get_packing(part.quantity)
        return {
            "sequence": sequence,
            "container_id": container.id if container else False,
            "move_id": move.id,
            "product_id": move.product_id.id,
            "sale_order_id": move.picking_id.sale_id.id,
            "quantity": part.quantity,
            "cartons": packing.cartons,
            "carton_from": first,
            "carton_to": last,
            "pcs_last_carton": packing.pcs_last_carton,
            "net_weight": packing.net_weight,
            "gross_weight": packing.gross_weight,
            "volume": packing.volume,
        }

    def _sbk_get_shipped_lines(self):
        """The packing list the documents state: the plan until loading is finished, then
        what was loaded (``sbk.packing.line._sbk_get_shipped``)."""
        self.ensure_one()
        return self.packing_line_ids._sbk_get_shipped(self.state in ("loaded", "cleared"))

    # -- loading by scan -----------------------------------------------------------------

    def _sbk_lock_for_loading(self):
        """Serialise scans of one shipment (two scanners on one container): the loaded counts
        are read, checked against the plan and written in one go."""
        self.env.cr.execute(
            SQL("SELECT id FROM sbk_shipment WHERE id IN %s FOR UPDATE", tuple(self.ids))
        )
        self.invalidate_recordset()
        self.packing_line_ids.invalidate_recordset(["loaded_qty"])

    def on_barcode_scanned(self, barcode):
        """Count what a scan loads on this shipment.

        A product barcode counts one piece, a packaging barcode (the carton) the packaging's
        quantity, a GS1-128 label with (01) GTIN, optional (10) lot and (30) count that count
        (of pieces; one packaging or piece when absent). Scanning a container number of the
        shipment makes it the container being loaded. A refused scan (unknown barcode, product
        not on the shipment, more than planned, lot not reserved) raises a UserError and
        changes nothing.

        :return: dict describing the counted scan, for the loading screen
        """
        self.ensure_one()
        barcode = clean_scan(barcode)
        if not barcode:
            raise UserError(self.env._("Empty scan: nothing was read."))
        if self.state not in ("draft", "loading"):
            raise UserError(
                self.env._(
                    "%(shipment)s is %(state)s: nothing more can be loaded.",
                    shipment=self.name,
                    state=self._sbk_state_label(),
                )
            )
        self._sbk_lock_for_loading()
        container = self.container_ids.filtered(
            lambda c: c.container_number == iso6346_normalize(barcode)
        )
        if container:
            self.loading_container_id = container[:1]
            return {
                "type": "container",
                "container": container[:1].container_number,
                "message": self.env._("Loading container %s", container[:1].container_number),
            }
        product, quantity, lot_name = self.env["sbk.shipment.scan"]._sbk_read_barcode(barcode)
        lines = self._sbk_get_lines_to_load(product, lot_name)
        if lot_name:
            self._sbk_check_lot_quantity(product, lot_name, quantity, lines)
        return self._sbk_count_scan(barcode, product, quantity, lot_name, lines)

    def _sbk_get_lines_to_load(self, product, lot_name):
        lines = self.packing_line_ids.filtered(lambda line: line.product_id == product)
        if not lines:
            raise UserError(
                self.env._(
                    "%(product)s is not on shipment %(shipment)s: put it aside.",
                    product=product.display_name,
                    shipment=self.name,
                )
            )
        if product.tracking != "none":
            if not lot_name:
                raise UserError(
                    self.env._(
                        "%s is tracked by lot: scan its GS1 label with the lot (10).",
                        product.display_name,
                    )
                )
            reserved = lines.move_id.move_line_ids.lot_id.filtered(lambda lot: lot.name == lot_name)
            if not reserved:
                raise UserError(
                    self.env._(
                        "Lot %(lot)s of %(product)s is not reserved for this shipment: put it "
                        "aside.",
                        lot=lot_name,
                        product=product.display_name,
                    )
                )
        # The container being loaded first, then the lines in packing-list order.
        current = self.loading_container_id
        return lines.sorted(lambda line: (line.container_id != current, line.sequence, line.id))

    def _sbk_check_lot_quantity(self, product, lot_name, quantity, lines):
        """A lot loads no more than the deliveries reserved of it: the scan that would exceed
        it is refused, so what is loaded is what the validation delivers."""
        rounding = product.uom_id.rounding
        reserved = sum(
            move_line.quantity_product_uom
            for move_line in lines.move_id.move_line_ids
            if move_line.lot_id.name == lot_name
        )
        loaded = sum(
            scan.quantity
            for scan in self.scan_ids
            if scan.product_id == product and scan.lot_id.name == lot_name
        )
        if float_compare(loaded + quantity, reserved, precision_rounding=rounding) > 0:
            raise UserError(
                self.env._(
                    "Too many of lot %(lot)s of %(product)s: this scan counts %(qty)s, but the "
                    "deliveries reserved %(reserved)s of this lot and %(loaded)s are loaded "
                    "already. Put the extra aside, or reserve more of this lot on the delivery "
                    "first.",
                    lot=lot_name,
                    product=product.display_name,
                    qty=quantity,
                    reserved=reserved,
                    loaded=loaded,
                )
            )

    def _sbk_count_scan(self, barcode, product, quantity, lot_name, lines):
        rounding = product.uom_id.rounding
        remaining = sum(line.quantity - line.loaded_qty for line in lines)
        if float_compare(quantity, remaining, precision_rounding=rounding) > 0:
            raise UserError(
                self.env._(
                    "Too many %(product)s: this scan counts %(qty)s but only %(remaining)s remain "
                    "to load. Put the extra aside.",
                    product=product.display_name,
                    qty=quantity,
                    remaining=remaining,
                )
            )
        to_count = quantity
        counted_lines = self.env["sbk.packing.line"]
        for line in lines:
            if float_is_zero(to_count, precision_rounding=rounding):
                break
            free = line.quantity - line.loaded_qty
            if float_compare(free, 0.0, precision_rounding=rounding) <= 0:
                continue
            taken = min(free, to_count)
            # Loaded counts are read-only to users: the scan, checked above, writes them.
            line.sudo().loaded_qty += taken
            to_count -= taken
            counted_lines |= line
        self.env["sbk.shipment.scan"]._sbk_record(
            self, counted_lines[:1], barcode, product, quantity, lot_name
        )
        if self.state == "draft":
            self._sbk_write_by_action({"state": "loading"})
        line = counted_lines[:1]
        return {
            "type": "product",
            "product": product.display_name,
            "quantity": quantity,
            "line_id": line.id,
            "loaded_qty": sum(lines.mapped("loaded_qty")),
            "planned_qty": sum(lines.mapped("quantity")),
            "container": line.container_id.container_number or "",
            "message": self.env._(
                "%(qty)s × %(product)s loaded", qty=quantity, product=product.display_name
            ),
        }

    def action_reset_loading(self):
        """Set every loaded count back to zero (a recount before the doors close)."""
        for shipment in self:
            if shipment.state != "loading":
                raise UserError(self.env._("Only a shipment being loaded can be recounted."))
            shipment.check_access("write")
            # Counts and scans are read-only to users: the recount, an action of the
            # shipment, resets them.
            shipment.packing_line_ids.sudo().loaded_qty = 0.0
            shipment.scan_ids.sudo().unlink()
            shipment._sbk_write_by_action({"state": "draft"})
            shipment.message_post(body=self.env._("Loaded quantities reset for a recount."))

    def action_start_loading(self):
        """Open the loading screen, where a barcode scanner counts what goes into the
        containers."""
        self.ensure_one()
        if self.state not in ("draft", "loading"):
            raise UserError(self.env._("%s is already loaded.", self.name))
        if not self.packing_line_ids:
            raise UserError(
                self.env._("%s has nothing to load: add export deliveries first.", self.name)
            )
        return {
            "type": "ir.actions.client",
            "tag": "sbk_trade.loading_screen",
            "name": self.env._("Loading %s", self.name),
            "params": {"shipment_id": self.id},
            "context": {"active_id": self.id},
        }

    def action_done_loading(self):
        """Validate the deliveries for what was loaded; the rest goes to backorders.

        Export locks of the orders are consumed by the delivery validation itself.
        """
        for shipment in self:
            if shipment.state not in ("draft", "loading"):
                raise UserError(self.env._("%s is already loaded.", shipment.name))
            if float_is_zero(shipment.loaded_quantity, precision_digits=6):
                raise UserError(
                    self.env._("Nothing was loaded on %s: scan the goods first.", shipment.name)
                )
            shipment._sbk_validate_deliveries()
            shipment._sbk_write_by_action({"state": "loaded"})
            shipment.message_post(
                body=self.env._(
                    "Loading finished: %(loaded)s of %(planned)s loaded.",
                    loaded=shipment.loaded_quantity,
                    planned=shipment.total_quantity,
                )
            )
        return True

    def _sbk_validate_deliveries(self):
        self.ensure_one()
        self._sbk_lock_for_loading()
        loaded_by_move = defaultdict(float)
        for line in self.packing_line_ids:
            loaded_by_move[line.move_id] += line.loaded_qty
        lots_by_move = defaultdict(lambda: defaultdict(float))
        for scan in self.scan_ids.filtered("lot_id"):
            lots_by_move[scan.packing_line_id.move_id][scan.lot_id] += scan.quantity
        to_validate = self.picking_ids._sbk_set_loaded(loaded_by_move, lots_by_move)
        if not to_validate:
            return
        result = to_validate.with_context(skip_backorder=True).button_validate()
        if isinstance(result, dict) and result.get("res_model"):
            raise UserError(
                self.env._(
                    "The deliveries of %(shipment)s need a decision before they can be validated "
                    "(%(decision)s): validate them from the delivery form.",
                    shipment=self.name,
                    decision=result.get("name") or result["res_model"],
                )
            )

    # -- customs -------------------------------------------------------------------------

    def action_create_declaration(self):
        """Create the export customs declaration from what was loaded, one line per HS code."""
        self.ensure_one()
        declaration = self.env["sbk.customs.declaration"]._sbk_create_from_shipment(self)
        return declaration.get_formview_action()

    # -- navigation ----------------------------------------------------------------------

    def action_view_pickings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("id", "in", self.picking_ids.ids)]
        action["context"] = {"create": False}
        return action

    def action_view_sale_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action["domain"] = [("id", "in", self.sale_order_ids.ids)]
        action["context"] = {"create": False}
        if len(self.sale_order_ids) == 1:
            action.update(views=[(False, "form")], res_id=self.sale_order_ids.id)
        return action

    def action_view_declarations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sbk_trade.action_sbk_customs_declaration"
        )
        action["domain"] = [("shipment_id", "=", self.id)]
        action["context"] = {"default_shipment_id": self.id, "create": False}
        if len(self.declaration_ids) == 1:
            action.update(views=[(False, "form")], res_id=self.declaration_ids.id)
        return action

    def action_cancel(self):
        for shipment in self:
            if shipment.state in ("loaded", "cleared"):
                raise UserError(
                    self.env._(
                        "%s is loaded: its deliveries are validated; return the goods instead.",
                        shipment.name,
                    )
                )
        self._sbk_write_by_action({"state": "cancel"})

    def action_draft(self):
        self.filtered(lambda s: s.state == "cancel")._sbk_write_by_action({"state": "draft"})

    def action_export_packing_list_xlsx(self):
        return self._sbk_download("packing_list.xlsx")

    def action_export_commercial_invoice_xlsx(self):
        return self._sbk_download("commercial_invoice.xlsx")

    def _sbk_download(self, document):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/sbk_trade/shipment/{self.id}/{document}",
            "target": "self",
        }

    def _sbk_update_cleared(self):
        """A loaded shipment is cleared once each of its live declarations is."""
        for shipment in self.filtered(lambda s: s.state == "loaded"):
            declarations = shipment.declaration_ids.filtered(lambda d: d.state != "cancel")
            if declarations and all(d.state == "cleared" for d in declarations):
                shipment._sbk_write_by_action({"state": "cleared"})
