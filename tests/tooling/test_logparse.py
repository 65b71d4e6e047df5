"""Reading Odoo's logs: what the test command counts as an error, a result, a failing test."""

from sbkdev import logparse

LOG = """\
2026-12-01 10:00:00,000 123 INFO db odoo.modules.loading: loading 1 modules...
2026-12-01 10:00:01,000 123 WARNING db odoo.models: something odd
2026-12-01 10:00:02,000 123 ERROR db odoo.tools.translate: no translation for language zh_CN
2026-12-01 10:00:03,000 123 ERROR db odoo.modules.registry: The model sbk.thing has no access rules
2026-12-01 10:00:04,000 123 INFO db odoo.addons.sbk_trade.tests.test_x: Starting TestX.test_a ...
2026-12-01 10:00:05,000 123 ERROR db odoo.addons.sbk_trade.tests.test_x: FAIL: TestX.test_a
2026-12-01 10:00:06,000 123 INFO db odoo.service.server: Starting post tests
2026-12-01 10:00:07,000 123 INFO db odoo.addons.mrp.tests.test_y: Starting TestY.test_b ...
2026-12-01 10:00:08,000 123 ERROR db odoo.addons.mrp.tests.test_y: ERROR: TestY.test_b
2026-12-01 10:00:09,000 123 ERROR db odoo.tests.result: 1 failed, 1 error(s) of 12 tests \
when loading database 'db'
2026-12-01 10:00:10,000 123 CRITICAL db odoo.service.server: Failed to initialize database
"""


def test_error_lines_keep_errors_and_missing_access_rules_and_skip_harmless_ones():
    lines = logparse.error_lines(LOG)
    assert not any("no translation" in line for line in lines)
    assert any("has no access rules" in line for line in lines)
    assert any("CRITICAL" in line for line in lines)
    assert not any("WARNING" in line for line in lines)


def test_install_part_stops_at_the_first_test():
    part = logparse.install_part(LOG)
    assert "has no access rules" in part
    assert "FAIL: TestX" not in part


def test_failing_tests_are_named_without_the_log_prefix():
    assert logparse.failing_tests(LOG) == ["FAIL: TestX.test_a", "ERROR: TestY.test_b"]


def test_result_is_the_last_summary():
    assert logparse.test_result(LOG) == (1, 1, 12)
    assert logparse.test_result("nothing") is None


def test_post_install_part_and_started_tests():
    post = logparse.post_install_part(LOG)
    assert post.startswith("odoo.service.server: Starting post tests")
    assert logparse.started_tests(post) == 1
    assert logparse.started_tests(LOG) == 2
    assert logparse.post_install_part("no post tests") is None


def test_test_tags_select_failing_tests_to_run_again():
    lines = ["ERROR: TestTourBoM.test_mrp_bom_product_catalog", "FAIL: TestY.test_b (x=1)", "junk"]
    assert logparse.test_name(lines[1]) == "TestY.test_b"
    assert logparse.test_name("junk") == "junk"
    assert logparse.test_tags(lines) == [
        ":TestTourBoM.test_mrp_bom_product_catalog",
        ":TestY.test_b",
    ]
