"""The evaluation table: the sample-weighted total and the mean of the sets, by hand."""
import json

import pytest

from ppocr.metrics.report import EvalReport, SetScore


@pytest.fixture
def report():
    # set a: 8 of 10 right, distances sum 1.0; set b: 1 of 2 right, distances sum 0.5, one unusable
    return EvalReport([SetScore.from_counts("a", [8, 10, 1.0, 0, 2]), SetScore.from_counts("b", [1, 2, 0.5, 1, 0])],
                      protocol="alnum36", description="lower-case", weights="w/best_accuracy")


def test_total_is_weighted_by_samples_and_mean_is_per_set(report):
    total, mean = report.total(), report.mean()
    assert total["samples"] == 12 and total["correct"] == 9 and total["unusable"] == 1
    assert total["unencodable_labels"] == 2
    assert total["acc"] == pytest.approx(9 / 12)
    assert total["norm_edit_dis"] == pytest.approx(1 - 1.5 / 12)
    assert mean["acc"] == pytest.approx((0.8 + 0.5) / 2) and mean["sets"] == 2
    assert mean["norm_edit_dis"] == pytest.approx(((1 - 0.1) + (1 - 0.25)) / 2)


def test_markdown_labels_both_totals(report):
    lines = report.markdown().splitlines()
    assert "protocol: alnum36" in lines[0]
    assert "| a | 10 | 80.00 | 0.9000 | 0 |" in lines
    assert "| b | 2 | 50.00 | 0.7500 | 1 |" in lines
    assert "| **total (sample-weighted)** | 12 | 75.00 | 0.8750 | 1 |" in lines
    assert "| **mean of 2 sets (unweighted)** |  | 65.00 | 0.8250 |  |" in lines


def test_write_markdown_and_json(report, tmp_path):
    md, js = report.write(str(tmp_path / "best_accuracy.eval"))
    assert md.endswith(".eval.md") and js.endswith(".eval.json")
    data = json.loads(open(js).read())
    assert [s["name"] for s in data["sets"]] == ["a", "b"]
    assert data["total_sample_weighted"] == report.total() and data["mean_of_sets"] == report.mean()
    assert data["protocol"] == "alnum36" and open(md).read() == report.markdown()
