"""The README's promises: two quickstart commands, and CI runs the test one."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def quickstart_commands():
    readme = (ROOT / "README.md").read_text()
    quickstart = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", quickstart, re.S)
    return [line for block in blocks for line in block.splitlines() if line and not line.startswith("#")]


def test_quickstart_is_exactly_two_commands():
    commands = quickstart_commands()
    assert len(commands) == 2
    assert "kb serve" in commands[0] and "kb build" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert quickstart_commands()[1] in ci


def test_the_configuration_table_lists_every_setting_with_its_meaning():
    from kb.config import Settings

    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = {m.group(1): m.group(2) for m in re.finditer(r"^\| `(KB_[A-Z_]+)` \|[^|]*\| (.+?) \|$", table, re.M)}
    for spec in Settings.__dataclass_fields__.values():
        assert rows.get(f"KB_{spec.name.upper()}") == spec.metadata["meaning"], spec.name
    assert len(rows) == len(Settings.__dataclass_fields__)
