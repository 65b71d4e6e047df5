from . import sbk_mes_message
from . import sbk_mes_event
from . import sbk_mes_bridge
from . import mrp_production
from . import res_config_settings
