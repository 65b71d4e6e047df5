from . import sbk_export_lock_release
