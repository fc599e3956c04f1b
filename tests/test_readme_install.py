"""README.md's install section says what ``make install`` runs (the Makefile's own command), names
only extras that setup.py defines, and gives the GPU build's install command; ``make test-fast``
leaves out exactly the slow kinds of test pytest.ini registers, and the README says so."""
import ast
import configparser
import re

from tests.helpers.doc_blocks import REPO, code_blocks, read_page

README = read_page("README.md")
SECTION = README[README.index("## Install"):README.index("\n## ", README.index("## Install") + 1)]


def makefile_install():
    text = (REPO / "Makefile").read_text()
    python = re.search(r"^PYTHON \?= (\S+)", text, flags=re.M).group(1)
    recipe = re.search(r"^install:\n\t(.+)$", text, flags=re.M).group(1)
    return recipe.replace("$(PYTHON)", python).replace(" -q", "")


def setup_extras():
    tree = ast.parse((REPO / "setup.py").read_text())
    call = next(n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "setup")
    extras = next(k.value for k in call.keywords if k.arg == "extras_require")
    return {key.value for key in extras.keys}


def test_the_readme_says_what_make_install_runs():
    assert f"`make install` runs `{makefile_install()}`" in SECTION


def test_the_install_commands_name_extras_that_exist():
    commands = [line for block in code_blocks(SECTION, "bash") for line in block.splitlines() if "pip install -e" in line]
    assert len(commands) == 2
    named = {extra for line in commands for group in re.findall(r'\.\[([\w,]+)\]', line) for extra in group.split(",")}
    assert named and named <= setup_extras()


def test_the_gpu_build_has_its_command():
    gpu = [line for block in code_blocks(SECTION, "bash") for line in block.splitlines() if "paddlepaddle-gpu" in line]
    assert len(gpu) == 1 and re.search(r"pip install paddlepaddle-gpu==3\.\d+\.\d+ -i https://\S+/cu\d+/", gpu[0])


def test_make_test_fast_leaves_out_every_registered_marker_and_the_readme_says_so():
    ini = configparser.ConfigParser()
    ini.read(REPO / "pytest.ini")
    markers = {line.split(":")[0].strip() for line in ini["pytest"]["markers"].splitlines() if line.strip()}
    slow = re.search(r"^SLOW = (.+)$", (REPO / "Makefile").read_text(), flags=re.M).group(1)
    assert set(slow.split(" or ")) == markers and len(markers) == 6
    assert re.search(r"^test-fast:\n\t\$\(PYTHON\) -m pytest -q -m \"not \(\$\(SLOW\)\)\" tests$",
                     (REPO / "Makefile").read_text(), flags=re.M)
    assert "`make test-fast`" in README
