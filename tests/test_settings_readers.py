"""Every reader of a config's Global section goes through GlobalSettings: no module but the settings,
the config loading and checking, and the command line reads ``config["Global"]`` (or ``.get``)."""
import ast

from tests.e2e import REPO

# the settings themselves, the config layer that loads and checks the section, the command line that
# makes it a mapping, and the exported-model folders, ours and the reference's (whose inference.yml
# has a Global of its own)
ALLOWED = {"ppocr/settings.py", "ppocr/config.py", "ppocr/config_check.py", "ppocr/cli/program.py",
           "ppocr/export/model_folder.py", "ppocr/export/reference_folder.py"}


def global_reads(source):
    """Line numbers where ``source`` indexes or ``.get``s the key "Global"."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and node.slice.value == "Global":
            lines.append(node.lineno)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
              and node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value == "Global"):
            lines.append(node.lineno)
    return lines


def test_only_the_settings_read_global():
    readers = {}
    for path in sorted((REPO / "ppocr").rglob("*.py")):
        name = str(path.relative_to(REPO))
        if name not in ALLOWED:
            found = global_reads(path.read_text(encoding="utf-8"))
            if found:
                readers[name] = found
    assert readers == {}


def test_the_check_sees_both_forms():
    assert global_reads('g = config["Global"]\nseed = (config.get("Global") or {}).get("seed", 1024)\n') == [1, 2]
