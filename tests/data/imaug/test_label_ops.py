import numpy as np
import pytest

from ppocr.data import SkipSample
from ppocr.data.imaug.label_ops import CTCLabelEncode, SPINLabelEncode


def test_ctc_label_padding(ctc_charset):
    out = CTCLabelEncode(ctc_charset)({"label": "Abc"})
    assert out["label"].shape == (25,) and out["label"].dtype == np.int64
    assert out["label"][:3].tolist() == [ctc_charset.index[c] for c in "abc"]
    assert not out["label"][3:].any() and int(out["length"]) == 3


@pytest.mark.parametrize("text, reason", [("", "empty label"), ("a" * 26, "label longer than max_text_length"),
                                          ("a-b", "character outside the charset")])
def test_ctc_label_unusable(ctc_charset, text, reason):
    with pytest.raises(SkipSample) as e:
        CTCLabelEncode(ctc_charset)({"label": text})
    assert e.value.reason == reason


def test_spin_label_of_max_length(spin_charset):
    text = "abcdefghijklmnopqrstuvwxy"
    assert len(text) == spin_charset.max_text_length
    out = SPINLabelEncode(spin_charset)({"label": text})
    ids = [spin_charset.index[c] for c in text]
    assert out["label"].tolist() == [spin_charset.sos] + ids + [spin_charset.eos]
    assert int(out["length"]) == 25


def test_spin_label_padding(spin_charset):
    out = SPINLabelEncode(spin_charset)({"label": "ab"})
    assert out["label"].shape == (27,)
    assert out["label"][:4].tolist() == [0, spin_charset.index["a"], spin_charset.index["b"], 1]
    assert not out["label"][4:].any() and int(out["length"]) == 2
