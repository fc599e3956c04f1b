"""Attention decoder of SPIN.

SPIN (Zhang et al., "SPIN: Structure-Preserving Inner Offset Network for Scene Text
Recognition", AAAI 2021) reads the encoded sequence with an additive (Bahdanau) attention
LSTM, one character per step. The class layout, the start token and the target width come
from the run's charset (``ppocr.charset.AttnCharset``). Sub-layer names follow the reference
release.
"""
import paddle
import paddle.nn.functional as F
from paddle import nn

from ppocr.registry import HEADS


class AttentionLSTMCell(nn.Layer):
    """One decoding step: attend over the sequence, then update the LSTM state."""

    def __init__(self, input_size, hidden_size, num_embeddings):
        super().__init__()
        self.i2h = nn.Linear(input_size, hidden_size, bias_attr=False)
        self.h2h = nn.Linear(hidden_size, hidden_size)
        self.score = nn.Linear(hidden_size, 1, bias_attr=False)
        self.rnn = nn.LSTMCell(input_size=input_size + num_embeddings, hidden_size=hidden_size)

    def forward(self, state, sequence, sequence_proj, char_onehots):
        """``sequence_proj`` is ``i2h(sequence)``, computed once per image, not once per step."""
        energy = self.score(paddle.tanh(sequence_proj + self.h2h(state[0]).unsqueeze(axis=1)))
        alpha = F.softmax(energy, axis=1)  # [N, T, 1], over the sequence positions
        context = paddle.matmul(alpha, sequence, transpose_x=True).squeeze(axis=1)
        output, state = self.rnn(paddle.concat([context, char_onehots], axis=1), state)
        return output, state


@HEADS.register()
class SPINAttentionHead(nn.Layer):
    """[N, T_in, in_channels] -> per-step class scores [N, max_text_length + 1, num_classes].

    Training (``self.training``): teacher forcing; ``targets['label']`` is the batch's
    ``[N, L]`` id matrix (``L = charset.label_size``); step ``t`` is fed ``label[:, t]`` and
    its logits are scored against ``label[:, t + 1]``, so the head returns ``L - 1`` steps
    of logits. Eval: greedy decoding from the charset's ``sos`` for ``max_text_length + 1`` steps (one more
    than the longest label, for its ``eos``), returning softmax probabilities; the
    post-processing cuts each row at its first ``eos``.

    Example::

        head = SPINAttentionHead(in_channels=512, charset=AttnCharset("ppocr/utils/dict/spin_dict.txt"), hidden_size=256)
        head.eval()
        head(paddle.zeros([2, 26, 512])).shape   # [2, 26, 70]
    """

    charset_scheme = "attn"  # the layout of the run's charset: sos, eos, then the characters

    def __init__(self, in_channels, charset, hidden_size):
        super().__init__()
        self.hidden_size = hidden_size
        self.num_classes = charset.num_classes
        self.num_steps = charset.max_text_length + 1  # one more than the longest label, for its eos
        self.start_id = charset.sos
        self.attention_cell = AttentionLSTMCell(in_channels, hidden_size, self.num_classes)
        self.generator = nn.Linear(hidden_size, self.num_classes)

    def _initial_state(self, x):
        shape = [paddle.shape(x)[0], self.hidden_size]
        zeros = paddle.zeros(shape=shape, dtype=x.dtype)
        return zeros, zeros

    def forward(self, x, targets=None):
        state = self._initial_state(x)
        x_proj = self.attention_cell.i2h(x)
        if self.training:
            return self._teacher_forced(x, x_proj, state, _label_of(targets))
        return self._greedy(x, x_proj, state)

    def _teacher_forced(self, x, x_proj, state, label):
        num_steps = label.shape[1] - 1  # the last target (eos or padding) is never an input
        onehots = F.one_hot(label[:, :num_steps].astype("int64"), num_classes=self.num_classes).astype(x.dtype)
        outputs = []
        for t in range(num_steps):
            output, state = self.attention_cell(state, x, x_proj, onehots[:, t, :])
            outputs.append(output)
        return self.generator(paddle.stack(outputs, axis=1))

    def _greedy(self, x, x_proj, state):
        ids = paddle.full(shape=[paddle.shape(x)[0]], fill_value=self.start_id, dtype="int64")
        logits = []
        for _ in range(self.num_steps):
            onehot = F.one_hot(ids, num_classes=self.num_classes).astype(x.dtype)
            output, state = self.attention_cell(state, x, x_proj, onehot)
            step_logits = self.generator(output)
            logits.append(step_logits)
            ids = paddle.argmax(step_logits, axis=1)
        return F.softmax(paddle.stack(logits, axis=1), axis=2)


def _label_of(targets):
    """The ``[N, L]`` label ids from the batch's targets (a dict with 'label', or the tensor)."""
    if isinstance(targets, dict):
        targets = targets.get("label")
    if targets is None:
        raise ValueError(
            "SPINAttentionHead in training mode needs the batch's targets: call "
            "model(images, targets={'label': ids}) with ids [N, max_text_length + 2] "
            "(sos, characters, eos, padding), or switch the model to eval mode"
        )
    if not isinstance(targets, paddle.Tensor):
        targets = paddle.to_tensor(targets)
    return targets
