"""Batch norms folded into the convolutions they follow, for export.

In eval mode ``bn(conv(x))`` is one convolution: w' = w * g / sqrt(v + eps) per output channel and
b' = (b - m) * g / sqrt(v + eps) + beta. An exported graph without the batch norms needs no
fusion pass at load time. Paddle 3.3's oneDNN conv + batch-norm fusion instead rescales the
weights inside the graph on every run, which made ResNet34_vd inference several times slower
(doc/benchmark.md), and onnxruntime gets the same smaller graph.

The pairs are found by tracing one forward pass (a batch norm whose input is a convolution's
output), so no layer has to be named or marked; each folded convolution is checked against its
convolution and batch norm on the input it had in that pass. (The whole model is no check: its
rectifier's ``grid_sample`` turns float rounding into visible differences, doc/differences.md.)

Example::

    folded = fold_batch_norms(model, paddle.rand([2, 3, 32, 100]) * 2 - 1)   # a copy; model unchanged
"""
import copy
import logging

import numpy as np
import paddle
from paddle import nn

logger = logging.getLogger("ppocr")
_BATCH_NORMS = (nn.BatchNorm2D, nn.BatchNorm)


def conv_bn_pairs(model, example):
    """[(conv, batch norm, the convolution's input)] where the batch norm reads the convolution's
    output, in forward order."""
    produced, pairs, hooks = {}, [], []

    def after_conv(layer, inputs, output):
        produced[id(output)] = (layer, inputs[0], output)  # kept alive, so the id is not reused

    def before_bn(layer, inputs):
        source = produced.get(id(inputs[0]))
        if source is not None:
            pairs.append((source[0], layer, source[1]))

    for layer in model.sublayers(include_self=True):
        if isinstance(layer, nn.Conv2D):
            hooks.append(layer.register_forward_post_hook(after_conv))
        elif isinstance(layer, _BATCH_NORMS):
            hooks.append(layer.register_forward_pre_hook(before_bn))
    try:
        with paddle.no_grad():
            model(example)
    finally:
        for hook in hooks:
            hook.remove()
    return pairs


def fold_batch_norms(model, example, rtol=1e-4):
    """A copy of ``model`` (switched to eval) whose traced conv -> batch norm pairs are single
    convolutions; ``model`` itself if there is nothing to fold or a folded pair computes otherwise."""
    model.eval()
    folded = copy.deepcopy(model)
    folded.eval()
    pairs = conv_bn_pairs(folded, example)
    if not pairs or len({id(conv) for conv, _, _ in pairs}) != len(pairs):  # one conv, two batch norms
        return model
    parents = {id(child): (parent, name) for parent in folded.sublayers(include_self=True)
               for name, child in parent.named_children()}
    with paddle.no_grad():
        for conv, bn, conv_input in pairs:
            want = bn(conv(conv_input))
            _fold(conv, bn)
            got = conv(conv_input)
            scale = max(1.0, float(paddle.abs(want).max()))
            if not np.allclose(got.numpy(), want.numpy(), rtol=rtol, atol=rtol * scale):
                logger.warning("a folded batch norm computes otherwise than before: exporting them unfolded")
                return model
            parent, name = parents[id(bn)]
            parent._sub_layers[name] = nn.Identity()
    return folded


def _fold(conv, bn):
    std = paddle.sqrt(bn._variance.astype("float64") + bn._epsilon)
    gamma = bn.weight.astype("float64") if bn.weight is not None else paddle.ones_like(std)
    beta = bn.bias.astype("float64") if bn.bias is not None else paddle.zeros_like(std)
    factor = gamma / std
    weight = conv.weight.astype("float64") * factor.reshape([-1, 1, 1, 1])
    bias = conv.bias.astype("float64") if conv.bias is not None else paddle.zeros_like(std)
    bias = (bias - bn._mean.astype("float64")) * factor + beta
    conv.weight.set_value(weight.astype(conv.weight.dtype))
    if conv.bias is None:
        conv.bias = conv.create_parameter(shape=[conv.weight.shape[0]], dtype=conv.weight.dtype, is_bias=True)
    conv.bias.set_value(bias.astype(conv.weight.dtype))
