from . import test_payload
from . import test_outbox
from . import test_events
from . import test_invalid_events
from . import test_access
from . import test_concurrency
from . import test_xmlrpc
from . import test_repeats_xmlrpc
