"""What an Odoo log says: error lines, test results, failing tests."""

import re

# Lines that are not failures even at ERROR level: the tests' own expected noise is muted by
# Odoo's mute_logger; these come from Odoo itself during install and are harmless.
IGNORED_ERRORS = [re.compile(p) for p in (r"odoo\.tools\.translate.*no translation",)]
RESULT_RE = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")
POST_TESTS = "odoo.service.server: Starting post tests"
NO_ACCESS_RE = re.compile(r"The models? .* ha(s|ve) no access rules")
LEVEL_RE = re.compile(r"\d \d+ (ERROR|CRITICAL) ")
FAILING_RE = re.compile(r" ((?:ERROR|FAIL): \S.*)$")
TEST_NAME_RE = re.compile(r"^(?:ERROR|FAIL): (\w+)\.(test_\w+)")
STARTING_TEST_RE = re.compile(r": Starting \w+\.test_\w+")
FIRST_TEST_RE = re.compile(r"^.* (odoo\.addons\.\w+\.tests\S*|odoo\.tests\.\S+): ", re.M)


def error_lines(log):
    """ERROR / CRITICAL lines, and models left without access rules."""
    lines = []
    for line in log.splitlines():
        if LEVEL_RE.search(line) or NO_ACCESS_RE.search(line):
            if not any(p.search(line) for p in IGNORED_ERRORS):
                lines.append(line)
    return lines


def install_part(log):
    """The log up to the first test: errors there come from installing, not from a test."""
    match = FIRST_TEST_RE.search(log)
    return log[: match.start()] if match else log


def failing_tests(log):
    """'FAIL: Class.test_name' / 'ERROR: Class.test_name' lines, without the log prefix."""
    out = []
    for line in log.splitlines():
        match = FAILING_RE.search(line)
        if match and LEVEL_RE.search(line):
            out.append(match.group(1)[:300])
    return out


def test_name(failing_line):
    """'Class.test_name' of a failing-test line, or the line itself."""
    match = TEST_NAME_RE.match(failing_line)
    return f"{match.group(1)}.{match.group(2)}" if match else failing_line


def test_tags(failing_lines):
    """Odoo ``--test-tags`` that select the tests of failing-test lines (any module)."""
    return sorted({f":{test_name(line)}" for line in failing_lines if TEST_NAME_RE.match(line)})


def test_result(log):
    """(failed, errors, total) of the last test summary in ``log``, or None."""
    matches = list(RESULT_RE.finditer(log))
    if not matches:
        return None
    return tuple(int(g) for g in matches[-1].groups())


def post_install_part(log):
    """The post-install tests' part of the log, or None when they did not start."""
    index = log.find(POST_TESTS)
    return None if index < 0 else log[index:]


def started_tests(log):
    """How many test methods ``log`` shows starting."""
    return len(STARTING_TEST_RE.findall(log))
