"""Checks shared by the HS code and the product: one wording for one rule."""

from odoo.exceptions import ValidationError


def check_rates(env, label, vat_rate, rebate_rate):
    """Rates are percentages (0-100) and the rebate never exceeds the VAT paid."""
    for rate_name, rate in ((env._("VAT rate"), vat_rate), (env._("rebate rate"), rebate_rate)):
        if rate is not None and not 0.0 <= rate <= 100.0:
            raise ValidationError(
                env._(
                    "%(label)s: the %(rate_name)s must be between 0 and 100 %% (got %(rate)s).",
                    label=label,
                    rate_name=rate_name,
                    rate=rate,
                )
            )
    if vat_rate is not None and rebate_rate is not None and rebate_rate > vat_rate:
        raise ValidationError(
            env._(
                "%(label)s: the export rebate rate (%(rebate)s %%) cannot exceed the VAT rate "
                "(%(vat)s %%).",
                label=label,
                rebate=rebate_rate,
                vat=vat_rate,
            )
        )
