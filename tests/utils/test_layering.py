"""ppocr/utils sits at the bottom of the one-way import order: it imports nothing from ppocr but
itself, so any layer may use it without a loop."""
from tests.helpers.e2e import REPO
from tests.test_layout import imports as ppocr_imports


def test_utils_imports_nothing_from_ppocr_but_utils():
    outside = {str(p.relative_to(REPO)): [n for n in ppocr_imports(p) if not n.startswith("ppocr.utils")]
               for p in sorted((REPO / "ppocr" / "utils").rglob("*.py"))}
    assert {k: v for k, v in outside.items() if v} == {}


def test_the_check_sees_an_import_from_above(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("import os\nfrom ppocr.errors import UserError\nfrom ppocr.utils.io import atomic_write_bytes\n")
    assert ppocr_imports(probe) == ["ppocr.errors", "ppocr.utils.io"]
