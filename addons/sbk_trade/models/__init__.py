from . import (
    product_product,
    product_template,
    res_company,
    res_config_settings,
    sale_order,
    sbk_hs_code,
)
