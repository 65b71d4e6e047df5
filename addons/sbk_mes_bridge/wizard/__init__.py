from . import sbk_mes_api_key_wizard
