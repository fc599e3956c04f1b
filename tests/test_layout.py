"""The one-way flow of the library: config -> registry -> model/dataset -> trainer -> checkpoint ->
export -> model folder -> pipeline -> API/service -> command line. Each package imports only from
its own layer or from layers below it (an AST walk over every import, those inside functions
too, ``from ppocr import x`` and relative imports included), no two modules or packages import
each other round a circle, and the tools import only the command-line layer.

``python -m tests.test_layout`` prints the drawing's figures: rooms (ppocr's packages and top
modules), arrows between them, floors (the longest chain of arrows) and circles.
"""
import ast
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# top to bottom; packages on one line are one layer (they may import each other only as listed below)
LAYERS = [
    ("cli",),
    ("serving",),
    ("inference",),
    ("export", "training"),  # neither imports the other: a trained model is trained_model's
    ("evaluation",),
    ("trained_model",),
    ("metrics", "data", "modeling", "losses", "postprocess", "optimizer", "synth", "ops"),
    ("charset",),
    ("config",),
    ("config_check",),
    ("global_settings",),
    ("config_types", "registry"),
    ("errors",),
    ("utils",),
]
# imports inside one layer that go sideways, each for a reason
SIDEWAYS = {
    ("modeling", "ops"),  # the model stages call the compiled CPU kernels
    ("synth", "data"),  # generated and converted sets are written in the datasets' format (data/lmdb_format.py)
}


def module_files(root, package="ppocr"):
    """{module name: file} of every module of ``root/package`` (a package is its ``__init__.py``)."""
    files = {}
    for path in sorted((Path(root) / package).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        files[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return files


def imports(path, module=None, modules=None, package="ppocr"):
    """The ``package`` modules the file ``path`` imports, at any depth of its code. ``from X import y``
    is ``X.y`` when that is one of ``modules`` (a set of module names), else ``X``; a relative import
    is resolved from ``module`` (the file's own module name)."""
    names = []
    for node in ast.walk(ast.parse(Path(path).read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                if module is None:
                    continue  # a relative import without the file's module name stays inside its package
                here = module.split(".") if Path(path).name == "__init__.py" else module.split(".")[:-1]
                base = ".".join(here[: len(here) - node.level + 1] + ([node.module] if node.module else []))
            found = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in (modules or ())]
            names += found or [base]
    return [n for n in names if n == package or n.startswith(package + ".")]


def import_graph(root=REPO, package="ppocr"):
    """{module: set of the modules it imports} of ``root/package``."""
    files = module_files(root, package)
    return {name: {other for other in imports(path, name, set(files), package) if other != name}
            for name, path in files.items()}


def room_of(module):
    """The package or top module of ``package`` a module belongs to ('' for the package itself)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def layer_of(name):
    """(floor from the top, room) of a module; (None, room) for a room of no layer."""
    room = room_of(name)
    for level, rooms in enumerate(LAYERS):
        if room in rooms:
            return level, room
    return None, room


def rooms_graph(graph):
    """{room: rooms it imports}, the package itself ('', the lazy public names) left out."""
    rooms = {}
    for module, others in graph.items():
        here = room_of(module)
        if here:
            rooms.setdefault(here, set()).update(r for r in map(room_of, others) if r and r != here)
    return rooms


def wrong_imports(graph):
    """'a imports b' for each import that goes up a layer, or sideways without a reason in SIDEWAYS."""
    wrong = []
    for module, others in sorted(graph.items()):
        here, room = layer_of(module)
        if here is None:
            continue  # the package's own __init__: its public names are imported lazily
        for name in sorted(others):
            there, other = layer_of(name)
            if other == room or there is None:
                continue
            if there < here or (there == here and (room, other) not in SIDEWAYS):
                wrong.append(f"{module} imports {name}")
    return wrong


def circles(graph):
    """The strongly connected parts of more than one node (Tarjan's algorithm), each sorted."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            part = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                part.append(member)
                if member == node:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10 * len(graph) + 100))
    try:
        for node in sorted(graph):
            if node not in index:
                visit(node)
    finally:
        sys.setrecursionlimit(limit)
    return sorted(found)


def floors(rooms):
    """The rooms on the longest chain of imports, counted; None when the rooms import round a circle."""
    if circles(rooms):
        return None
    depth = {}

    def height(room):
        if room not in depth:
            depth[room] = 1 + max((height(other) for other in rooms.get(room, ())), default=0)
        return depth[room]

    return max((height(room) for room in rooms), default=0)


def sideways_used(graph):
    """The SIDEWAYS pairs that some import of ``graph`` makes."""
    return {(room, other) for room, others in rooms_graph(graph).items() for other in others} & SIDEWAYS


def drawing(root=REPO):
    graph = import_graph(root)
    rooms = rooms_graph(graph)
    return {"rooms": len(rooms), "arrows": sum(map(len, rooms.values())), "floors": floors(rooms),
            "room circles": circles(rooms), "module circles": circles(graph)}


def test_every_import_goes_down_or_stays_in_its_package():
    assert wrong_imports(import_graph()) == []


def test_no_circle_between_modules_or_packages():
    graph = import_graph()
    assert circles(graph) == [] and circles(rooms_graph(graph)) == []


def test_every_sideways_import_allowed_is_made():
    assert SIDEWAYS - sideways_used(import_graph()) == set()


def test_every_module_has_a_layer():
    unplaced = sorted({room_of(m) for m in import_graph()} - {""} - {p for layer in LAYERS for p in layer})
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


def fake_package(root, files):
    """A package ``ppocr`` under ``root`` made of {relative path: source}; returns ``root``."""
    for name, source in files.items():
        path = root / "ppocr" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    return root


def test_the_check_sees_an_upward_import_in_each_form(tmp_path):
    root = fake_package(tmp_path, {
        "__init__.py": "", "serving/__init__.py": "", "serving/service.py": "",
        "training/__init__.py": "", "training/trainer.py": "def f():\n    from ppocr.serving.service import app\n",
        "training/loop.py": "from ppocr import serving\n", "training/step.py": "from ..serving import service\n",
        "training/fine.py": "from ppocr.training import loop\nfrom . import step\n",
    })
    assert wrong_imports(import_graph(root)) == ["ppocr.training.loop imports ppocr.serving",
                                                 "ppocr.training.step imports ppocr.serving.service",
                                                 "ppocr.training.trainer imports ppocr.serving.service"]


def test_the_check_sees_a_circle(tmp_path):
    root = fake_package(tmp_path, {
        "__init__.py": "", "config.py": "from ppocr import registry\n", "errors.py": "",
        "registry.py": "def f():\n    import ppocr.config\n", "data/__init__.py": "from ppocr.data import a\n",
        "data/a.py": "from ppocr.data.b import x\n", "data/b.py": "from ppocr.errors import UserError\n",
    })
    graph = import_graph(root)
    assert circles(graph) == [["ppocr.config", "ppocr.registry"]]
    assert circles(rooms_graph(graph)) == [["config", "registry"]]
    assert "ppocr.registry imports ppocr.config" in wrong_imports(graph)


if __name__ == "__main__":
    print(drawing())
