from . import mes_client
from . import mes_protocol
