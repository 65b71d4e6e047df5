"""The MES simulator's client commands in the READMEs run as written against scripts/demo."""

import importlib.util
import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
READMES = ("README.md", "mes_simulator/README.md")
CLIENT = re.compile(r"python3 mes_simulator/mes_sim\.py ((?:list|show|run|stats)\b[^`\n#]*)")


@pytest.fixture(scope="module")
def mes_sim():
    path = ROOT / "mes_simulator" / "mes_sim.py"
    spec = importlib.util.spec_from_file_location("mes_sim_readme", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def client_commands():
    found = []
    for readme in READMES:
        for match in CLIENT.finditer((ROOT / readme).read_text()):
            found.append((readme, shlex.split(match.group(1))))
    return found


def test_each_readme_drives_the_simulator():
    assert {readme for readme, _argv in client_commands()} == set(READMES)


@pytest.mark.parametrize(
    ("readme", "argv"),
    [
        pytest.param(readme, argv, id=f"{readme}: {' '.join(argv)}")
        for readme, argv in client_commands()
    ],
)
def test_readme_client_command_parses_and_presents_the_demos_token(mes_sim, readme, argv):
    from sbkdev import demo  # noqa: PLC0415 (imports the setup modules only this test needs)

    args = mes_sim.control_parser().parse_args(argv)
    # The simulator refuses a caller without its token: the one scripts/demo wrote.
    token_file = (demo.DEMO_DIR / "mes_auth_token").relative_to(ROOT)
    assert args.auth_token_file == str(token_file), (readme, argv)
    if args.command in ("show", "run"):
        # A manufacturing order of the demo's warehouse (sbk_demo names it NB).
        warehouse = re.search(
            r'warehouse\.write\(\{[^}]*"code": "(\w+)"',
            (ROOT / "addons/sbk_demo/models/sbk_demo.py").read_text(),
        )
        assert re.fullmatch(rf"{warehouse.group(1)}/MO/\d{{5}}", args.job_id or ""), argv
