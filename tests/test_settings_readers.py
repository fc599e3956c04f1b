"""Every reader of a config's Global section goes through GlobalSettings: no module but the settings,
the config loading and checking, and the command line reads ``config["Global"]`` (or ``.get``); the
benchmarks and the doc's picture script neither (only where they run the reference's own code)."""
import ast

from tests.helpers.e2e import REPO, library_users

# the settings themselves, the config layer that loads and checks the section, the command line that
# makes it a mapping, the exported-model folder (whose inference.yml has a Global of its own) and the
# reference's folders (whose inference.yml is the reference's export's); the benchmarks' children that
# run the reference's library read its config as its tools do
ALLOWED = {"ppocr/global_settings.py", "ppocr/config.py", "ppocr/config_check.py", "ppocr/cli/startup.py",
           "ppocr/export/model_folder.py", "ppocr/export/reference_folder.py",
           "benchmark/_reference_folder_child.py"}
ALLOWED_FUNCTIONS = {("benchmark/_train_child.py", "reference"), ("benchmark/_train_child.py", "reference_parts")}


def global_reads(source, skipped_functions=()):
    """Line numbers where ``source`` indexes or ``.get``s the key "Global", outside the functions named
    in ``skipped_functions``."""
    tree = ast.parse(source)
    skipped = {id(inner) for node in ast.walk(tree)
               if isinstance(node, ast.FunctionDef) and node.name in skipped_functions for inner in ast.walk(node)}
    lines = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and node.slice.value == "Global":
            lines.append(node.lineno)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
              and node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value == "Global"):
            lines.append(node.lineno)
    return lines


def test_only_the_settings_read_global():
    readers = {}
    for path in library_users():
        name = str(path.relative_to(REPO))
        if name not in ALLOWED:
            skipped = {function for file, function in ALLOWED_FUNCTIONS if file == name}
            found = global_reads(path.read_text(encoding="utf-8"), skipped)
            if found:
                readers[name] = found
    assert readers == {}


def test_the_check_sees_both_forms():
    assert global_reads('g = config["Global"]\nseed = (config.get("Global") or {}).get("seed", 1024)\n') == [1, 2]


def test_the_check_reads_the_benchmarks_and_skips_only_the_reference_code():
    assert {REPO / "benchmark" / "step_time.py", REPO / "doc" / "make_pictures.py"} <= set(library_users())
    source = 'def reference(c):\n    return c["Global"]\n\ndef project(c):\n    return c["Global"]\n'
    assert global_reads(source, {"reference"}) == [5]
