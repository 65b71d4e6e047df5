from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression

from ..tools.packing import carton_cbm, pack
from .validation import check_rates

SBK_SEARCH_FIELDS = ("sbk_name_en", "sbk_name_cn", "sbk_aliases")


def sbk_name_domain(operator, value):
    """Domain matching the trade names and aliases, combined as Odoo combines name terms."""
    combine = expression.AND if operator in expression.NEGATIVE_TERM_OPERATORS else expression.OR
    return combine([[(field, operator, value)] for field in SBK_SEARCH_FIELDS])


class ProductTemplate(models.Model):
    _inherit = "product.template"

    # Trade
    sbk_name_en = fields.Char(string="English Name", tracking=True)
    sbk_name_cn = fields.Char(string="Chinese Name", tracking=True)
    sbk_aliases = fields.Char(
        string="Aliases",
        help="Other names buyers or suppliers use for this product, separated by commas. "
        "Product search matches them.",
    )
    sbk_hs_code_id = fields.Many2one(
        "sbk.hs.code", string="HS Code", index="btree_not_null", tracking=True
    )
    sbk_declaration_elements = fields.Text(
        related="sbk_hs_code_id.declaration_elements", string="Declaration Elements"
    )
    sbk_pcs_per_carton = fields.Integer(string="Pieces per Carton", tracking=True)
    sbk_carton_length_cm = fields.Float(string="Carton Length (cm)", digits=(10, 2))
    sbk_carton_width_cm = fields.Float(string="Carton Width (cm)", digits=(10, 2))
    sbk_carton_height_cm = fields.Float(string="Carton Height (cm)", digits=(10, 2))
    sbk_carton_cbm = fields.Float(
        string="Carton Volume (m³)",
        compute="_compute_sbk_carton_cbm",
        store=True,
        digits=(10, 6),
    )
    sbk_carton_net_weight = fields.Float(string="Carton N.W. (kg)", digits=(10, 3))
    sbk_carton_gross_weight = fields.Float(string="Carton G.W. (kg)", digits=(10, 3))
    # Finance
    sbk_vat_rate = fields.Float(related="sbk_hs_code_id.vat_rate", string="VAT Rate (%)")
    sbk_rebate_rate = fields.Float(
        string="Export Rebate Rate (%)",
        compute="_compute_sbk_rebate_rate",
        store=True,
        readonly=False,
        digits=(5, 2),
        tracking=True,
        help="Defaults from the HS code; override it when this product's rate differs.",
    )
    sbk_taxed_export = fields.Boolean(
        string="Taxed Export Regime",
        tracking=True,
        help="Goods not eligible for the export rebate, treated as domestic sales for VAT: no "
        "rebate on their orders, which are flagged (output VAT is out of the cost sheet's scope).",
    )
    # Production
    sbk_moq = fields.Float(
        string="MOQ",
        digits="Product Unit of Measure",
        help="Minimum quantity for producing or purchasing this product; generated "
        "manufacturing and purchase quantities are rounded up to it.",
    )

    @api.depends("sbk_carton_length_cm", "sbk_carton_width_cm", "sbk_carton_height_cm")
    def _compute_sbk_carton_cbm(self):
        for template in self:
            template.sbk_carton_cbm = carton_cbm(
                template.sbk_carton_length_cm,
                template.sbk_carton_width_cm,
                template.sbk_carton_height_cm,
            )

    @api.depends("sbk_hs_code_id.rebate_rate")
    def _compute_sbk_rebate_rate(self):
        for template in self:
            template.sbk_rebate_rate = template.sbk_hs_code_id.rebate_rate

    @api.constrains(
        "sbk_pcs_per_carton",
        "sbk_carton_length_cm",
        "sbk_carton_width_cm",
        "sbk_carton_height_cm",
        "sbk_carton_net_weight",
        "sbk_carton_gross_weight",
    )
    def _check_sbk_packing(self):
        for template in self:
            if template.sbk_pcs_per_carton < 0:
                raise ValidationError(
                    self.env._(
                        "%(product)s: pieces per carton must be positive (got %(pcs)s).",
                        product=template.display_name,
                        pcs=template.sbk_pcs_per_carton,
                    )
                )
            dimensions = (
                template.sbk_carton_length_cm,
                template.sbk_carton_width_cm,
                template.sbk_carton_height_cm,
                template.sbk_carton_net_weight,
                template.sbk_carton_gross_weight,
            )
            if any(value < 0 for value in dimensions):
                raise ValidationError(
                    self.env._(
                        "%(product)s: carton dimensions and weights cannot be negative.",
                        product=template.display_name,
                    )
                )
            if template.sbk_carton_gross_weight < template.sbk_carton_net_weight:
                raise ValidationError(
                    self.env._(
                        "%(product)s: the carton gross weight (%(gross)s kg) cannot be below "
                        "its net weight (%(net)s kg).",
                        product=template.display_name,
                        gross=template.sbk_carton_gross_weight,
                        net=template.sbk_carton_net_weight,
                    )
                )

    @api.constrains("sbk_rebate_rate", "sbk_hs_code_id")
    def _check_sbk_rebate_rate(self):
        for template in self:
            vat_rate = template.sbk_hs_code_id.vat_rate if template.sbk_hs_code_id else None
            check_rates(self.env, template.display_name, vat_rate, template.sbk_rebate_rate)

    @api.constrains("sbk_moq")
    def _check_sbk_moq(self):
        for template in self:
            if template.sbk_moq < 0:
                raise ValidationError(
                    self.env._(
                        "%(product)s: the MOQ cannot be negative.", product=template.display_name
                    )
                )

    @api.model
    def _search_display_name(self, operator, value):
        domain = super()._search_display_name(operator, value)
        if not value:
            return domain
        combine = (
            expression.AND if operator in expression.NEGATIVE_TERM_OPERATORS else expression.OR
        )
        return combine([domain, sbk_name_domain(operator, value)])

    def _sbk_has_packing(self):
        """Whether the product has a packing spec: pieces per carton and a carton size.

        The one definition; ``product.product._sbk_get_packing`` says what a quantity packs
        to with or without one.
        """
        self.ensure_one()
        return self.sbk_pcs_per_carton > 0 and self.sbk_carton_cbm > 0

    def _sbk_pack(self, quantity):
        """Cartons, volume and weights of ``quantity`` pieces (in the product's UoM) by the
        packing spec alone; callers use ``product.product._sbk_get_packing``."""
        self.ensure_one()
        return pack(
            quantity,
            self.sbk_pcs_per_carton,
            self.sbk_carton_cbm,
            self.sbk_carton_net_weight,
            self.sbk_carton_gross_weight,
        )
