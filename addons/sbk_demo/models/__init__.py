from . import sbk_demo
