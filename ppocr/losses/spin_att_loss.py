"""Cross-entropy of SPIN's teacher-forced attention decoder.

SPIN (Zhang et al., "SPIN: Structure-Preserving Inner Offset Network for Scene Text
Recognition", AAAI 2021) trains its attention decoder with per-step cross-entropy against
the next character of the target ``[sos, c1..cn, eos, 0...]``.
"""
from paddle import nn

from ppocr.errors import UserError
from ppocr.registry import LOSSES


@LOSSES.register()
class SPINAttentionLoss(nn.Layer):
    """Mean cross-entropy over the scored steps of a batch.

    ``predicts``: the head's training logits ``[N, L - 1, C]``; ``batch['label']``: ids
    ``[N, L]`` with ``L = max_text_length + 2``. Step ``t`` is scored against
    ``label[:, t + 1]`` (the first target, ``sos``, is never predicted). Steps whose target
    is the charset's padding (after ``eos``) do not count, so a label of exactly
    ``max_text_length`` characters fills every step. ``ignore_index``, the reference's option,
    may only repeat the charset's padding id.

    Example::

        loss = SPINAttentionLoss(AttnCharset(), ignore_index=0)
        loss(logits, {"label": label, "length": length})["loss"]
    """

    def __init__(self, charset, ignore_index=None, reduction="mean"):
        super().__init__()
        if ignore_index is not None and ignore_index != charset.pad:
            raise UserError(f"SPINAttentionLoss.ignore_index={ignore_index!r}, but the charset pads labels with "
                            f"{charset.pad}: remove ignore_index from the Loss section (the charset decides)")
        self.loss_func = nn.CrossEntropyLoss(reduction=reduction, ignore_index=charset.pad)

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
