from . import test_shop
