import pytest

from ppocr.metrics import RecMetric


def test_accuracy_and_normalised_edit_distance_by_hand():
    m = RecMetric()
    m.update([("hello", 1.0), ("wrld", 1.0), ("abc", 1.0)], ["hello", "world", "xyz"])
    out = m.get_metric()
    # distances: 0, 1/5, 3/3 -> 1 - 1.2/3
    assert out["acc"] == pytest.approx(1 / 3)
    assert out["norm_edit_dis"] == pytest.approx(1 - 1.2 / 3)
    assert out["samples"] == 3


def test_invalid_samples_count_as_wrong_and_are_not_dropped():
    m = RecMetric()
    m.update([("a", 1.0), ("a", 1.0)], ["a", "a"], valid=[True, False])
    out = m.get_metric()
    assert out == {"acc": 0.5, "norm_edit_dis": 0.5, "samples": 2}


def test_is_filter_keeps_alphanumerics_lowercased():
    m = RecMetric(is_filter=True)
    m.update([("hello", 1.0)], ["Hel-lo!"])
    assert m.get_metric()["acc"] == 1.0
