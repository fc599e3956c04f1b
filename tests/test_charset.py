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
