"""Cross-entropy of SPIN's teacher-forced attention decoder.

SPIN (Zhang et al., "SPIN: Structure-Preserving Inner Offset Network for Scene Text
Recognition", AAAI 2021) trains its attention decoder with per-step cross-entropy against
the next character of the target ``[sos, c1..cn, eos, 0...]``.
"""
from paddle import nn

from ppocr.registry import LOSSES


@LOSSES.register()
class SPINAttentionLoss(nn.Layer):
    """Mean cross-entropy over the scored steps of a batch.

    ``predicts``: the head's training logits ``[N, L - 1, C]``; ``batch['label']``: ids
    ``[N, L]`` with ``L = max_text_length + 2``. Step ``t`` is scored against
    ``label[:, t + 1]`` (the first target, ``sos``, is never predicted). Steps whose target
    is ``ignore_index`` (0: the padding after ``eos``, which shares ``sos``'s id) do not
    count, so a label of exactly ``max_text_length`` characters fills every step.

    Example::

        loss = SPINAttentionLoss(ignore_index=0)
        loss(logits, {"label": label, "length": length})["loss"]
    """

    def __init__(self, ignore_index=0, reduction="mean", **kwargs):
        super().__init__()
        self.loss_func = nn.CrossEntropyLoss(reduction=reduction, ignore_index=ignore_index)

    def forward(self, predicts, batch):
        label = batch["label"] if isinstance(batch, dict) else batch[1]
        targets = label.astype("int64")[:, 1:]
        if predicts.ndim != 3 or predicts.shape[1] != targets.shape[1]:
            raise ValueError(
                f"SPINAttentionLoss: the head gave {list(predicts.shape)} logits for labels of "
                f"shape {list(label.shape)}; expected [N, L - 1, num_classes] for labels [N, L] "
                "(run the head in training mode with the same batch's targets)"
            )
        logits = predicts.reshape([-1, predicts.shape[-1]])
        return {"loss": self.loss_func(logits, targets.reshape([-1]))}
