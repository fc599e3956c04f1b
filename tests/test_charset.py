import numpy as np
import pytest

from ppocr.charset import AttnCharset, CTCCharset, UnusableLabel
from ppocr.errors import UserError


def test_default_ctc_charset_is_36_lowercased_with_blank_first():
    cs = CTCCharset(max_text_length=5)
    assert cs.num_classes == 37 and cs.tokens[0] == "blank"
    assert cs.encode("Ab9") == [11, 12, 10]


@pytest.mark.parametrize("text, reason", [("", "empty"), ("abcdef", "longer"), ("ab!", "outside")])
def test_unusable_labels_say_why(text, reason):
    with pytest.raises(UnusableLabel, match=reason):
        CTCCharset(max_text_length=5).encode(text)


def test_ctc_decode_merges_repeats_and_drops_blanks():
    cs = CTCCharset()
    ids = np.array([[11, 11, 0, 11, 12, 0]])
    probs = np.array([[0.9, 0.7, 0.5, 0.8, 0.6, 0.5]])
    (text, score), = cs.decode(ids, probs)
    assert text == "aab"
    assert score == pytest.approx(np.mean([0.9, 0.8, 0.6]))


def test_attention_decode_stops_at_eos_and_scores_kept_characters(tmp_path):
    d = tmp_path / "d.txt"
    d.write_text("a\nb\nc\n")
    cs = AttnCharset(character_dict_path=str(d))
    assert cs.num_classes == 5
    ids = np.array([[2, 3, 1, 4, 4]])
    probs = np.array([[0.9, 0.7, 0.99, 0.1, 0.1]])
    (text, score), = cs.decode(ids, probs)
    assert text == "ab"
    assert score == pytest.approx(0.8)


def test_missing_dictionary_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="does not exist"):
        AttnCharset(character_dict_path=str(tmp_path / "none.txt"))


def test_a_character_on_two_lines_is_refused_naming_it_and_both_lines(tmp_path):
    d = tmp_path / "d.txt"
    d.write_text("a\nb\n\nc\na\nd\n")  # the empty line 3 counts in the numbering, as an editor shows it
    with pytest.raises(UserError, match=r"repeats 'a': line 5 is also line 1.*remove line 5"):
        CTCCharset(character_dict_path=str(d))
    d.write_text("a\nb\n\n")
    assert CTCCharset(character_dict_path=str(d)).characters == ["a", "b"]  # empty lines are no repeats


SPIN_DICT = "ppocr/utils/dict/spin_dict.txt"


@pytest.mark.parametrize("charset", [CTCCharset(max_text_length=25), AttnCharset(SPIN_DICT, max_text_length=25)],
                         ids=["ctc", "attn"])
def test_labels_round_trip_at_the_maximum_length(charset):
    longest = ("Ab1" if charset.scheme == "attn" else "ab1") * 8 + "z"  # 25 characters
    texts = [longest, "x", longest[:13]]
    encoded = [charset.encode_label(t) for t in texts]
    labels, lengths = np.stack([label for label, _ in encoded]), np.stack([n for _, n in encoded])
    assert labels.shape == (3, charset.label_size) and labels.dtype == np.int64
    assert lengths.tolist() == [25, 1, 13]
    assert charset.decode_label(labels, lengths) == [charset.normalise(t) for t in texts]
    with pytest.raises(UnusableLabel, match="longer"):
        charset.encode_label(longest + "q")


def test_layouts_and_special_tokens_are_the_charsets():
    ctc, attn = CTCCharset(max_text_length=4), AttnCharset(SPIN_DICT, max_text_length=4)
    label, length = ctc.encode_label("ab")
    assert label.tolist() == [11, 12, ctc.blank, ctc.blank] and ctc.pad == ctc.blank == 0 and int(length) == 2
    label, length = attn.encode_label("ab")
    a, b = attn.index["a"], attn.index["b"]
    assert label.tolist() == [attn.sos, a, b, attn.eos, attn.pad, attn.pad] and int(length) == 2
    assert (attn.sos, attn.eos, attn.pad) == (0, 1, 0) and attn.num_classes == 70
    # the greedy decoder reads the label layout back
    (text, _), = attn.decode(label[None, 1:], np.ones((1, 5)))
    assert text == "ab"


def test_a_charset_survives_export_as_a_dict():
    attn = AttnCharset(SPIN_DICT, max_text_length=7)
    again = type(attn).from_dict(attn.to_dict())
    assert again.tokens == attn.tokens and again.label_size == 9 and again.lower == attn.lower


def test_global_use_space_char_wins_over_postprocess_as_in_the_reference():
    """The reference applies Global over PostProcess: SPIN's config repeats use_space_char: False in
    PostProcess, and -o Global.use_space_char=True must still add the space."""
    import ppocr.trained_model.from_config  # noqa: F401  (registers the heads, encoders and decoders)
    from ppocr.charset import build_charset
    from ppocr.config import merge_config
    from tests.helpers.e2e import REPO

    spin = str(REPO / "configs" / "rec" / "rec_r32_gaspin_bilstm_att.yml")
    assert " " not in build_charset(merge_config(spin, [])).characters
    assert " " in build_charset(merge_config(spin, ["Global.use_space_char=True"])).characters
    # a config whose Global says nothing: PostProcess's value counts
    unset = merge_config(spin, ["~Global.use_space_char", "PostProcess.use_space_char=True"])
    assert " " in build_charset(unset).characters
