"""doc/evaluation.md's table of one evaluation under each protocol is what the evaluator computes for
the two small sets of test_evaluator.py, whose readings are chosen (every cell: accuracy / norm_edit_dis)."""
import re

from tests.helpers.doc_blocks import read_page
from tests.evaluation.test_evaluator import run, sets  # noqa: F401  (the sets fixture)

PROTOCOLS = ("alnum36", "case_sensitive", "reference")


def doc_table():
    """{row name: [the cells of the three protocols]} of the page's table under each protocol."""
    rows = {}
    for line in read_page("doc/evaluation.md").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 5 and re.fullmatch(r"\d+\.\d\d / \d\.\d{4}", cells[2]):
            rows[cells[0]] = cells[2:]
    return rows


def cell(result):
    return f"{100 * result['acc']:.2f} / {result['norm_edit_dis']:.4f}"


def test_the_pages_protocol_table_is_what_the_evaluator_computes(sets):  # noqa: F811
    computed = {}
    for protocol in PROTOCOLS:
        report = run(sets, protocol)
        for s in report.sets:
            computed.setdefault(s.name, []).append(cell({"acc": s.acc, "norm_edit_dis": s.norm_edit_dis}))
        computed.setdefault("**total (sample-weighted)**", []).append(cell(report.total()))
        computed.setdefault("**mean of 2 sets (unweighted)**", []).append(cell(report.mean()))
    assert doc_table() == computed
