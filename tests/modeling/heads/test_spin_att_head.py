from pathlib import Path

import numpy as np
import paddle
import pytest
from paddle.static import InputSpec

from ppocr.charset import AttnCharset
from ppocr.losses.spin_att_loss import SPINAttentionLoss
from ppocr.modeling.heads.spin_att_head import SPINAttentionHead
from ppocr.registry import HEADS

MAX_LEN = 25
SPIN_DICT = str(Path(__file__).resolve().parents[3] / "ppocr" / "utils" / "dict" / "spin_dict.txt")


def encode_batch(texts, charset):
    """The charset's SPIN labels ([sos, chars, eos, pad...]), stacked."""
    labels, lengths = zip(*(charset.encode_label(text) for text in texts))
    return {"label": paddle.to_tensor(np.stack(labels)), "length": paddle.to_tensor(np.stack(lengths))}


@pytest.fixture(scope="module")
def charset():
    return AttnCharset(character_dict_path=SPIN_DICT, max_text_length=MAX_LEN)


def make_head(charset, **kw):
    paddle.seed(0)
    return SPINAttentionHead(in_channels=32, charset=charset, hidden_size=16, **kw)


def sequence(n=2, t=26, c=32, seed=0):
    return paddle.to_tensor(np.random.default_rng(seed).normal(size=(n, t, c)).astype("float32"))


def test_max_length_label_trains(charset):
    longest = "abcdefghijklmnopqrstuvwxy"
    assert len(longest) == MAX_LEN
    batch = encode_batch([longest, "hi"], charset)
    assert batch["label"].shape == [2, MAX_LEN + 2]
    head = make_head(charset)
    head.train()
    logits = head(sequence(), targets=batch)
    assert logits.shape == [2, MAX_LEN + 1, charset.num_classes]
    loss = SPINAttentionLoss(charset, ignore_index=0)(logits, batch)["loss"]
    assert np.isfinite(float(loss))
    loss.backward()
    grad = head.generator.weight.grad
    assert grad is not None and np.isfinite(grad.numpy()).all() and np.abs(grad.numpy()).sum() > 0


def test_teacher_forcing_feeds_the_previous_target(charset):
    head = make_head(charset)
    head.train()
    x = sequence(n=1)
    a = encode_batch(["abc"], charset)
    b = encode_batch(["abd"], charset)  # differs at position 3 (the 4th label slot)
    out_a, out_b = head(x, targets=a).numpy(), head(x, targets=b).numpy()
    # step t sees label[:, t]: steps 0..2 see sos, a, b in both batches; step 3 sees c vs d
    np.testing.assert_array_equal(out_a[:, :3], out_b[:, :3])
    assert not np.allclose(out_a[:, 3], out_b[:, 3])


def test_eval_is_greedy_softmax_over_max_text_length_plus_one_steps(charset):
    head = make_head(charset)
    head.eval()
    probs = head(sequence(n=3)).numpy()
    assert probs.shape == (3, MAX_LEN + 1, charset.num_classes)
    np.testing.assert_allclose(probs.sum(axis=2), 1.0, rtol=1e-5)
    short = make_head(AttnCharset(character_dict_path=SPIN_DICT, max_text_length=10))
    short.eval()
    assert short(sequence(n=1)).shape == [1, 11, charset.num_classes]


def test_greedy_decoding_equals_teacher_forcing_on_its_own_predictions(charset):
    head = make_head(charset)
    head.eval()
    x = sequence(n=2)
    probs = head(x).numpy()
    ids = probs.argmax(axis=2)
    label = np.concatenate([np.zeros((2, 1), "int64"), ids], axis=1)  # sos, then its own choices
    head.train()
    logits = head(x, targets={"label": paddle.to_tensor(label)}).numpy()
    replay = np.exp(logits - logits.max(axis=2, keepdims=True))
    np.testing.assert_allclose(replay / replay.sum(axis=2, keepdims=True), probs, rtol=1e-4, atol=1e-6)


def test_training_without_targets_says_what_to_pass(charset):
    head = make_head(charset)
    head.train()
    with pytest.raises(ValueError, match="targets"):
        head(sequence())


def test_eval_path_traces_for_export(charset):
    head = HEADS.build({"name": "SPINAttentionHead", "hidden_size": 16}, in_channels=32, charset=charset)
    head.eval()
    x = sequence(n=2)
    expected = head(x).numpy()
    static = paddle.jit.to_static(head, input_spec=[InputSpec([None, 26, 32], "float32")], full_graph=True)
    np.testing.assert_allclose(static(x).numpy(), expected, rtol=1e-5, atol=1e-7)
    assert static(sequence(n=5)).shape == [5, MAX_LEN + 1, charset.num_classes]
