"""Scoring protocols against hand-computed numbers, and which protocol each config gets."""
import pytest

from ppocr.charset import CTCCharset
from ppocr.config import load_config
from ppocr.errors import UserError
from ppocr.metrics import RecMetric, build_metric

PREDS = ["hello", "world", "tel", "", "abd", "xy", "OK"]
LABELS = ["hello", "World", "Tel:", "!!", "abc", "x y", "ok"]
STEMS = ("rec_mv3_tps_bilstm_ctc", "rec_r34_vd_tps_bilstm_ctc", "rec_r32_gaspin_bilstm_att")


def scored(metric, charset=None, valid=None):
    metric.update([(p, 1.0) for p in PREDS], LABELS, valid=valid, charset=charset)
    return metric.get_metric()


def test_alnum36_lowercases_filters_and_keeps_every_sample():
    # compared: hello/hello, world/world, tel/tel, ''/'' (label '!!' filters to empty: still a sample),
    # abd/abc (1/3), xy/xy, ok/ok
    out = scored(RecMetric(protocol="alnum36"))
    assert out["samples"] == 7
    assert out["acc"] == pytest.approx(6 / 7)
    assert out["norm_edit_dis"] == pytest.approx(1 - (1 / 3) / 7)


def test_case_sensitive_compares_exact_strings():
    # right: hello only; distances: World 1/5, 'Tel:' 2/4, '!!' 2/2, abc 1/3, 'x y' 1/3, ok 2/2
    out = scored(RecMetric(protocol="case_sensitive"), charset=CTCCharset())
    assert out["acc"] == pytest.approx(1 / 7)
    assert out["norm_edit_dis"] == pytest.approx(1 - (1 / 5 + 2 / 4 + 1 + 1 / 3 + 1 / 3 + 1) / 7)


def test_reference_uses_the_charset_label_and_drops_spaces():
    # labels lower-cased by the charset (predictions are not), spaces dropped: right hello, world, xy;
    # 'tel:' 1/4, '!!' 2/2, abc 1/3, 'OK' vs 'ok' 2/2
    out = scored(RecMetric(), charset=CTCCharset())
    assert out["acc"] == pytest.approx(3 / 7)
    assert out["norm_edit_dis"] == pytest.approx(1 - (1 / 4 + 1 + 1 / 3 + 1) / 7)
    # is_filter makes it alnum36 on these strings; ignore_space=False keeps 'x y' apart from 'xy'
    assert scored(RecMetric(is_filter=True), charset=CTCCharset())["acc"] == pytest.approx(6 / 7)
    assert scored(RecMetric(ignore_space=False), charset=CTCCharset())["acc"] == pytest.approx(2 / 7)


def test_unreadable_samples_are_wrong_under_every_protocol():
    valid = [False] + [True] * 6
    for protocol in ("alnum36", "case_sensitive", "reference"):
        full = scored(RecMetric(protocol=protocol), CTCCharset())
        out = scored(RecMetric(protocol=protocol), CTCCharset(), valid=valid)
        assert out["samples"] == 7 and out["acc"] == pytest.approx(full["acc"] - 1 / 7), protocol


def test_score_gives_per_sample_results():
    correct, distance = RecMetric(protocol="alnum36").score([("Ab", 1.0), ("x", 1.0)], ["ab!", "y"])
    assert correct.tolist() == [True, False] and distance.tolist() == [0.0, 1.0]


@pytest.mark.parametrize("stem", STEMS)
def test_shipped_configs_use_alnum36_and_keep_the_reference_metric_keys(repo_root, compat_dir, stem):
    ours = load_config(str(repo_root / "configs" / "rec" / f"{stem}.yml"))
    reference = load_config(str(compat_dir / "configs" / f"{stem}.yml"))
    assert {k: ours["Metric"].get(k) for k in reference["Metric"]} == reference["Metric"]
    assert build_metric(ours).protocol.name == "alnum36"
    # the reference's file, unchanged, scores as the reference did (is_filter honoured for SPIN)
    protocol = build_metric(reference).protocol
    assert protocol.name == "reference" and bool(protocol.is_filter) == bool(reference["Metric"].get("is_filter"))


def test_explicit_protocol_takes_precedence_over_is_filter(repo_root):
    spin = load_config(str(repo_root / "configs" / "rec" / "rec_r32_gaspin_bilstm_att.yml"))
    assert spin["Metric"]["is_filter"] is True and build_metric(spin).protocol.name == "alnum36"
    spin["Metric"]["protocol"] = "reference"
    assert build_metric(spin).protocol.is_filter is True


def test_unknown_protocol_is_a_user_error():
    with pytest.raises(UserError, match="alnum36.*case_sensitive.*reference"):
        RecMetric(protocol="alnum62")
