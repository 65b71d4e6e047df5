from stdnum import iso6346

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.packing import iso6346_normalize
from .sbk_container_type import CONTAINER_TYPES


class SbkShipmentContainer(models.Model):
    _name = "sbk.shipment.container"
    _description = "Shipment Container"
    _order = "shipment_id, sequence, id"
    _rec_name = "container_number"

    shipment_id = fields.Many2one("sbk.shipment", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="shipment_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    container_type = fields.Selection(CONTAINER_TYPES, required=True, default="40HQ")
    container_number = fields.Char(
        help="ISO 6346: owner code, category letter, serial number and check digit, "
        "e.g. CSQU3054383.",
    )
    seal_number = fields.Char()
    loading_date = fields.Date()
    packing_line_ids = fields.One2many("sbk.packing.line", "container_id", string="Packing Lines")
    capacity_cbm = fields.Float(
        string="Nominal Volume (m³)", compute="_compute_capacity", digits=(10, 2)
    )
    capacity_kg = fields.Float(
        string="Nominal Payload (kg)", compute="_compute_capacity", digits=(10, 0)
    )
    total_cartons = fields.Integer(compute="_compute_totals", store=True)
    total_quantity = fields.Float(
        compute="_compute_totals", store=True, digits="Product Unit of Measure"
    )
    total_net_weight = fields.Float(string="N.W. (kg)", compute="_compute_totals", store=True)
    total_gross_weight = fields.Float(string="G.W. (kg)", compute="_compute_totals", store=True)
    total_volume = fields.Float(string="Volume (m³)", compute="_compute_totals", store=True)
    capacity_warning = fields.Char(compute="_compute_capacity_warning")

    @api.depends("container_type")
    def _compute_capacity(self):
        capacities = self.env["sbk.container.type"]._get_capacities()
        for container in self:
            container.capacity_cbm, container.capacity_kg = capacities.get(
                container.container_type, (0.0, 0.0)
            )

    @api.depends(
        "packing_line_ids.cartons",
        "packing_line_ids.quantity",
        "packing_line_ids.net_weight",
        "packing_line_ids.gross_weight",
        "packing_line_ids.volume",
    )
    def _compute_totals(self):
        for container in self:
            lines = container.packing_line_ids
            container.total_cartons = sum(lines.mapped("cartons"))
            container.total_quantity = sum(lines.mapped("quantity"))
            container.total_net_weight = sum(lines.mapped("net_weight"))
            container.total_gross_weight = sum(lines.mapped("gross_weight"))
            container.total_volume = sum(lines.mapped("volume"))

    @api.depends("total_volume", "total_gross_weight", "capacity_cbm", "capacity_kg")
    def _compute_capacity_warning(self):
        for container in self:
            label = container.container_number or container.container_type
            excess = []
            if container.capacity_cbm and container.total_volume > container.capacity_cbm:
                excess.append(
                    self.env._(
                        "%(volume).3f m³ exceeds the nominal %(capacity).1f m³",
                        volume=container.total_volume,
                        capacity=container.capacity_cbm,
                    )
                )
            if container.capacity_kg and container.total_gross_weight > container.capacity_kg:
                excess.append(
                    self.env._(
                        "%(weight).2f kg exceeds the payload of %(capacity).0f kg",
                        weight=container.total_gross_weight,
                        capacity=container.capacity_kg,
                    )
                )
            container.capacity_warning = (
                self.env._(
                    "Container %(label)s: %(excess)s.", label=label, excess="; ".join(excess)
                )
                if excess
                else False
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("container_number"):
                vals["container_number"] = iso6346_normalize(vals["container_number"])
        containers = super().create(vals_list)
        if not self._sbk_in_regeneration():
            containers.shipment_id._sbk_generate_packing_lines()
        return containers

    def write(self, vals):
        if vals.get("container_number"):
            vals["container_number"] = iso6346_normalize(vals["container_number"])
        result = super().write(vals)
        if {"container_type", "sequence", "shipment_id"} & set(vals) and not (
            self._sbk_in_regeneration()
        ):
            self.shipment_id._sbk_generate_packing_lines()
        return result

    def unlink(self):
        shipments = self.shipment_id
        result = super().unlink()
        if not self._sbk_in_regeneration():
            shipments.exists()._sbk_generate_packing_lines()
        return result

    def _sbk_in_regeneration(self):
        """Whether the shipment's own packing code (as superuser) is writing these containers.
        A caller over XML-RPC sets any context it likes: the key alone does not skip the checks
        of a shipment being loaded."""
        return self.env.su and self.env.context.get("sbk_packing_regeneration")

    @api.constrains("container_number")
    def _check_container_number(self):
        for container in self.filtered("container_number"):
            if not iso6346.is_valid(container.container_number):
                raise ValidationError(
                    self.env._(
                        "%s is not a valid container number: ISO 6346 wants 4 letters (owner code "
                        "and U, J or Z), 6 digits and a check digit, e.g. CSQU3054383. Check the "
                        "number on the container door.",
                        container.container_number,
                    )
                )
