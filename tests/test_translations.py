"""Every user-visible string of our addons has a Simplified Chinese translation."""

import re
from pathlib import Path

import polib
import pytest
from sbkdev.project import our_addons

ROOT = Path(__file__).resolve().parent.parent
ADDONS = our_addons()


@pytest.mark.parametrize("addon", ADDONS)
def test_zh_cn_translates_every_template_string(addon):
    i18n = ROOT / "addons" / addon / "i18n"
    pot = polib.pofile(str(i18n / f"{addon}.pot"))
    po = polib.pofile(str(i18n / "zh_CN.po"))
    translated = {(e.msgctxt, e.msgid) for e in po if e.msgstr and not e.obsolete}
    missing = [e.msgid for e in pot if (e.msgctxt, e.msgid) not in translated]
    assert not missing, f"{len(missing)} strings without zh_CN translation: {missing[:10]}"


@pytest.mark.parametrize("addon", ADDONS)
def test_zh_cn_keeps_placeholders(addon):
    po = polib.pofile(str(ROOT / "addons" / addon / "i18n" / "zh_CN.po"))
    placeholder = re.compile(r"%\([a-z_]+\)s|%s|%d|\{[a-z_]*\}")
    for entry in po:
        if entry.msgstr and not entry.obsolete:
            assert sorted(placeholder.findall(entry.msgid)) == sorted(
                placeholder.findall(entry.msgstr)
            ), f"placeholders differ in {entry.msgid!r} -> {entry.msgstr!r}"
