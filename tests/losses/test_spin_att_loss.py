import numpy as np
import paddle
import pytest

from ppocr.charset import AttnCharset
from ppocr.errors import UserError
from ppocr.losses import spin_att_loss  # noqa: F401  (registration)
from ppocr.registry import LOSSES

MAX_LEN = 4
# sos, eos and five characters: ids 2..6
CHARSET = AttnCharset.from_dict({"scheme": "attn", "characters": list("abcde"), "lower": False, "max_text_length": MAX_LEN})
NUM_CLASSES = CHARSET.num_classes


def batch_of(rows):
    """rows of character ids (2..6) -> the charset's labels [sos, ids, eos, pad...]."""
    labels, lengths = zip(*(CHARSET.encode_label("".join(CHARSET.tokens[i] for i in ids)) for ids in rows))
    return {"label": paddle.to_tensor(np.stack(labels)), "length": paddle.to_tensor(np.stack(lengths))}


def logits_for(batch, seed=0):
    n, width = batch["label"].shape
    rng = np.random.default_rng(seed)
    return paddle.to_tensor(rng.normal(size=(n, width - 1, NUM_CLASSES)).astype("float32"))


def manual_loss(logits, label):
    logits, targets = logits.numpy(), label.numpy()[:, 1:]
    logp = logits - np.log(np.exp(logits).sum(axis=2, keepdims=True))
    picked = np.take_along_axis(logp, targets[..., None], axis=2)[..., 0]
    scored = targets != 0
    return -picked[scored].mean()


def build():
    return LOSSES.build({"name": "SPINAttentionLoss", "ignore_index": 0}, context={"charset": CHARSET})


def test_ignore_index_must_be_the_charsets_padding():
    assert NUM_CLASSES == 7 and CHARSET.pad == 0
    with pytest.raises(UserError, match="pads labels with 0"):
        LOSSES.build({"name": "SPINAttentionLoss", "ignore_index": 3}, context={"charset": CHARSET})


def test_mean_cross_entropy_over_characters_and_eos_only():
    batch = batch_of([[2, 3], [4, 5, 6, 2]])  # the second label has max_text_length characters
    logits = logits_for(batch)
    loss = build()(logits, batch)["loss"]
    assert float(loss) == pytest.approx(manual_loss(logits, batch["label"]), rel=1e-5)


def test_padding_steps_do_not_count():
    batch = batch_of([[2, 3]])
    logits = logits_for(batch).numpy()
    changed = logits.copy()
    changed[:, 3:] += np.random.default_rng(1).normal(size=changed[:, 3:].shape).astype("float32") * 10
    loss = build()
    a = float(loss(paddle.to_tensor(logits), batch)["loss"])
    b = float(loss(paddle.to_tensor(changed), batch)["loss"])
    assert a == pytest.approx(b, rel=1e-6)


def test_max_length_label_scores_every_step():
    batch = batch_of([[2, 3, 4, 5]])
    logits = logits_for(batch)
    logits.stop_gradient = False
    loss = build()(logits, batch)["loss"]
    assert np.isfinite(float(loss))
    loss.backward()
    assert (np.abs(logits.grad.numpy()).sum(axis=2) > 0).all()  # all 5 steps (4 chars + eos)


def test_mismatched_steps_say_what_was_expected():
    batch = batch_of([[2, 3]])
    with pytest.raises(ValueError, match="L - 1"):
        build()(paddle.zeros([1, MAX_LEN + 2, NUM_CLASSES]), batch)
