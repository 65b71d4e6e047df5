from . import test_demo_story
from . import test_screens
from . import test_screenshots
