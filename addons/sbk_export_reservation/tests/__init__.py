from . import test_export_reservation
from . import test_concurrency
from . import test_paths
from . import test_access
from . import test_shipment_loading
from . import test_server_rules
