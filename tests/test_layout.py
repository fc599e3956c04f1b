"""The one-way flow of the library: config -> registry -> model/dataset -> trainer -> checkpoint ->
export -> model folder -> pipeline -> API/service -> command line. Each package imports only from
its own layer or from layers below it (an AST walk over every import, those inside functions
too), and the tools import only the command-line layer."""
import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# top to bottom; packages on one line are one layer (they may import each other only as listed below)
LAYERS = [
    ("cli",),
    ("serving",),
    ("inference",),
    ("export",),
    ("training",),
    ("evaluation",),
    ("metrics", "data", "modeling", "losses", "postprocess", "optimizer", "synth", "ops"),
    ("charset", "settings"),
    ("config", "config_check", "registry", "errors"),
    ("utils",),
]
# imports inside the bottom layers that go sideways, each for a reason
SIDEWAYS = {
    ("modeling", "ops"),  # the model stages call the compiled CPU kernels
    ("config", "config_check"), ("config", "registry"), ("config", "errors"), ("registry", "errors"),
    ("config_check", "registry"), ("config_check", "errors"), ("charset", "settings"), ("settings", "charset"),
    ("data", "postprocess"), ("metrics", "postprocess"), ("losses", "modeling"),
}


def layer_of(name):
    part = name.split(".")[1] if name.count(".") else ""
    part = "" if part == "__init__" else part
    for level, packages in enumerate(LAYERS):
        if part in packages:
            return level, part
    return None, part


def imports(path):
    """The ppocr modules ``path`` imports (absolute imports; a relative one stays inside its package)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return [n for n in names if n == "ppocr" or n.startswith("ppocr.")]


def module_name(path):
    return ".".join(path.relative_to(REPO).with_suffix("").parts)


def test_every_import_goes_down_or_stays_in_its_package():
    wrong = []
    for path in sorted((REPO / "ppocr").rglob("*.py")):
        here, package = layer_of(module_name(path))
        if here is None:
            continue  # ppocr/__init__.py: the lazy public names
        for name in imports(path):
            there, other = layer_of(name)
            if other == package or there is None:
                continue
            if there < here or (there == here and (package, other) not in SIDEWAYS):
                wrong.append(f"{module_name(path)} imports {name}")
    assert wrong == []


def test_every_module_has_a_layer():
    unplaced = sorted({layer_of(module_name(p))[1] for p in (REPO / "ppocr").rglob("*.py")} - {""}
                      - {p for layer in LAYERS for p in layer})
    assert unplaced == [] and not (REPO / "ppocr" / "engine").exists()


def test_the_tools_import_only_the_command_line_layer():
    outside = {}
    for path in sorted((REPO / "tools").rglob("*.py")):
        names = [n for n in imports(path) if not n.startswith(("ppocr.cli.", "ppocr.utils."))]
        if path.name == "_bootstrap.py":
            continue  # puts the repository on sys.path and sets the threads before Paddle loads
        if names:
            outside[path.name] = names
    assert outside == {}


def test_the_check_sees_an_upward_import(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from ppocr.serving.service import build_app\n")
    assert imports(probe) == ["ppocr.serving.service"]
    assert layer_of("ppocr.serving.service")[0] < layer_of("ppocr.training.trainer")[0]
