"""CTCHead: logits in training, probabilities in eval, L2 decay on its fc."""
import numpy as np
import paddle

from ppocr.charset import CTCCharset
from ppocr.modeling.heads.ctc_head import CTCHead
from ppocr.registry import HEADS

# blank + 4 characters: 5 classes
FIVE = CTCCharset.from_dict({"scheme": "ctc", "characters": list("abcd"), "lower": False, "max_text_length": 7})


def test_training_gives_logits_and_eval_gives_their_softmax():
    paddle.seed(0)
    head = HEADS.build({"name": "CTCHead", "fc_decay": 0.0004}, in_channels=8, charset=FIVE)
    x = paddle.randn([2, 7, 8])
    head.train()
    logits = head(x).numpy()
    head.eval()
    probs = head(x).numpy()
    expected = np.exp(logits) / np.exp(logits).sum(axis=2, keepdims=True)
    np.testing.assert_allclose(probs, expected, rtol=1e-5, atol=1e-7)
    assert probs.shape == (2, 7, 5)


def test_fc_decay_is_a_per_parameter_l2_regularizer():
    head = CTCHead(in_channels=8, charset=FIVE, fc_decay=0.0004)
    for p in (head.fc.weight, head.fc.bias):
        assert isinstance(p.regularizer, paddle.regularizer.L2Decay)
        assert np.isclose(p.regularizer._coeff, 0.0004)


def test_mid_channels_adds_a_second_fc():
    head = CTCHead(in_channels=8, charset=FIVE, mid_channels=6)
    assert list(head.state_dict()) == ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
    head.eval()
    assert head(paddle.randn([1, 3, 8])).shape == [1, 3, 5]
