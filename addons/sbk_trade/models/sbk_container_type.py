from odoo import api, fields, models
from odoo.exceptions import ValidationError

CONTAINER_TYPES = [("20GP", "20' GP"), ("40GP", "40' GP"), ("40HQ", "40' HQ")]


class SbkContainerType(models.Model):
    """Nominal capacity of a container type, editable (defaults: docs/trade-formulas.md)."""

    _name = "sbk.container.type"
    _description = "Container Type"
    _order = "code"
    _rec_name = "code"

    code = fields.Selection(CONTAINER_TYPES, required=True)
    capacity_cbm = fields.Float(string="Nominal Volume (m³)", digits=(10, 2), required=True)
    capacity_kg = fields.Float(string="Nominal Payload (kg)", digits=(10, 0), required=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "Each container type has one set of capacities."),
    ]

    @api.constrains("capacity_cbm", "capacity_kg")
    def _check_capacity(self):
        for container_type in self:
            if container_type.capacity_cbm <= 0 or container_type.capacity_kg <= 0:
                raise ValidationError(
                    self.env._(
                        "Container type %s: volume and payload must be positive.",
                        container_type.code,
                    )
                )

    @api.model
    def _get_capacities(self):
        """{code: (cbm, kg)} for every container type."""
        return {t.code: (t.capacity_cbm, t.capacity_kg) for t in self.sudo().search([])}
