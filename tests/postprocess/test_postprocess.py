"""ppocr/postprocess: the decoders take the best class per step and ask the charset to decode; the
PostProcess section builds them (its charset options are the charset's)."""
import numpy as np
import paddle
import pytest

from ppocr.charset import AttnCharset, CTCCharset
from ppocr.errors import UserError
from ppocr.postprocess import CTCLabelDecode, SPINLabelDecode, build_decoder, build_postprocess
from ppocr.registry import POSTPROCESS


def _onehot(ids, classes, p=0.9):
    probs = np.full((1, len(ids), classes), (1 - p) / (classes - 1), dtype="float32")
    probs[0, np.arange(len(ids)), ids] = p
    return probs


def test_ctc_decoder_reads_tensors_and_arrays_alike():
    charset = CTCCharset()
    probs = _onehot([11, 11, 0, 12, 0, 0], charset.num_classes)  # a a - b - -
    decode = build_postprocess({"PostProcess": {"name": "CTCLabelDecode"}}, charset)
    assert isinstance(decode, CTCLabelDecode)
    assert decode(probs) == decode(paddle.to_tensor(probs)) == [("ab", pytest.approx(0.9))]


def test_attention_decoder_stops_at_eos():
    charset = AttnCharset("ppocr/utils/dict/spin_dict.txt")
    a, b = charset.index["a"], charset.index["b"]
    decode = build_postprocess({"PostProcess": {"name": "SPINLabelDecode", "use_space_char": False}}, charset)
    assert isinstance(decode, SPINLabelDecode)
    assert decode(_onehot([a, b, charset.eos, a], charset.num_classes))[0][0] == "ab"


def test_a_misspelt_option_is_an_error():
    with pytest.raises(UserError, match="postprocess CTCLabelDecode has no option 'use_spcae_char'"):
        build_postprocess({"PostProcess": {"name": "CTCLabelDecode", "use_spcae_char": True}}, CTCCharset())


def test_the_charsets_keys_are_left_to_it_and_the_decoder_has_no_option():
    charset = CTCCharset()
    section = {"name": "CTCLabelDecode", "use_space_char": False, "lower": True, "character_dict_path": "x.txt"}
    assert isinstance(build_decoder(section, charset), CTCLabelDecode)  # an exported folder's section, as written
    with pytest.raises(UserError, match="CTCLabelDecode has no option 'use_space_char'"):
        POSTPROCESS.build({"name": "CTCLabelDecode", "use_space_char": False}, charset=charset)
    with pytest.raises(UserError, match="has no option 'use_spce_char'"):
        build_decoder({"name": "CTCLabelDecode", "use_spce_char": False}, charset)  # a typo is still refused
