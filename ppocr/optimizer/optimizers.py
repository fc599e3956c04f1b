"""The optimizers and weight-decay regularisers of the ``Optimizer`` section, under the reference's
names and option names.

Each optimizer takes the model, the rate (a float or a schedule), ``weight_decay`` (a number or a
regulariser built from ``Optimizer.regularizer``) and ``grad_clip`` from ``build_optimizer``; the
rest are the config's options. Only trainable parameters are updated.

The reference's optimizers swallow options they do not know (``**kwargs``), and some of its
configs carry such options; each of those is named here and accepted with one notice line saying
it has no effect (``_no_effect``), and any other unknown option is still an error.
"""
import logging

import paddle

from ppocr.registry import OPTIMIZERS, REGULARIZERS

logger = logging.getLogger("ppocr")
# the options each optimizer accepts only because the reference's configs carry them (no effect)
NO_EFFECT = {"Adam": ("group_lr", "training_step"), "Adadelta": ("momentum", "weight_deacy")}


@REGULARIZERS.register("L2")
def l2_decay(factor=0.0):
    return paddle.regularizer.L2Decay(coeff=float(factor))


@REGULARIZERS.register("L1")
def l1_decay(factor=0.0):
    return paddle.regularizer.L1Decay(coeff=float(factor))


@OPTIMIZERS.register("Adam")
def adam(model, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8, weight_decay=None, grad_clip=None,
         group_lr=False, training_step=None):
    """Adam; ``group_lr`` and ``training_step`` (the reference's VisionLAN config) have no effect here."""
    why = "the reference gives VisionLAN's head its own rate with it, and this toolkit has no VisionLAN"
    _no_effect("Adam", {"group_lr": (group_lr, False, why), "training_step": (training_step, None, why)})
    return paddle.optimizer.Adam(
        learning_rate=learning_rate, beta1=beta1, beta2=beta2, epsilon=epsilon,
        parameters=_trainable(model), weight_decay=weight_decay, grad_clip=grad_clip,
    )


@OPTIMIZERS.register("AdamW")
def adamw(model, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8, weight_decay=None, grad_clip=None,
          no_weight_decay_name=None, one_dim_param_no_weight_decay=False):
    # the reference's AdamW decays by 0.01 unless told otherwise; SPIN's config relies on that
    if weight_decay is None:
        weight_decay = 0.01
    if isinstance(weight_decay, paddle.regularizer.WeightDecayRegularizer):
        weight_decay = weight_decay._coeff
    skip = set((no_weight_decay_name or "").split())
    no_decay = {p.name for n, p in model.named_parameters()
                if any(s in n for s in skip) or (one_dim_param_no_weight_decay and len(p.shape) == 1)}
    return paddle.optimizer.AdamW(
        learning_rate=learning_rate, beta1=beta1, beta2=beta2, epsilon=epsilon,
        parameters=_trainable(model), weight_decay=float(weight_decay), grad_clip=grad_clip,
        apply_decay_param_fun=lambda name: name not in no_decay,
    )


@OPTIMIZERS.register("Momentum")
def momentum(model, learning_rate, momentum=0.9, weight_decay=None, grad_clip=None):
    return paddle.optimizer.Momentum(
        learning_rate=learning_rate, momentum=momentum, parameters=_trainable(model),
        weight_decay=weight_decay, grad_clip=grad_clip,
    )


@OPTIMIZERS.register("RMSProp")
def rmsprop(model, learning_rate, momentum=0.0, rho=0.95, epsilon=1e-6, weight_decay=None, grad_clip=None):
    """RMSProp (Tieleman & Hinton, 2012), the reference's defaults. For a gradient ``g`` at each step::

        r = rho * r + (1 - rho) * g**2                       # r, v start at 0
        v = momentum * v + lr * g / sqrt(r + epsilon)
        w = w - v

    Example::

        Optimizer: {name: RMSProp, rho: 0.9, lr: {name: Cosine, learning_rate: 0.001}}
    """
    return paddle.optimizer.RMSProp(
        learning_rate=learning_rate, rho=float(rho), epsilon=float(epsilon), momentum=float(momentum),
        parameters=_trainable(model), weight_decay=weight_decay, grad_clip=grad_clip,
    )


@OPTIMIZERS.register("Adadelta")
def adadelta(model, learning_rate, epsilon=1e-8, rho=0.95, weight_decay=None, grad_clip=None, momentum=None,
             weight_deacy=None):
    """Adadelta (Zeiler, 2012, arXiv:1212.5701, Algorithm 1), the reference's defaults; the step is
    scaled by the rate (1.0 is the paper's method). For a gradient ``g`` at each step::

        Eg = rho * Eg + (1 - rho) * g**2                     # Eg, Ed start at 0
        d = -sqrt((Ed + epsilon) / (Eg + epsilon)) * g
        Ed = rho * Ed + (1 - rho) * d**2
        w = w + lr * d

    Example::

        Optimizer: {name: Adadelta, lr: {name: Piecewise, decay_epochs: [4, 5], values: [1.0, 0.1, 0.01]}}

    ``momentum`` and ``weight_deacy`` (so spelt in the reference's rec_resnet_stn_bilstm_att.yml) are
    accepted with a notice: the reference's Adadelta swallows both, and Adadelta has no momentum.
    """
    _no_effect("Adadelta", {
        "momentum": (momentum, None, "Adadelta has no momentum term (the reference's drops the option too)"),
        "weight_deacy": (weight_deacy, None, "a misspelling the reference's Adadelta drops; weight decay is "
                                             "Optimizer.regularizer (or weight_decay)")})
    return paddle.optimizer.Adadelta(
        learning_rate=learning_rate, epsilon=float(epsilon), rho=float(rho),
        parameters=_trainable(model), weight_decay=weight_decay, grad_clip=grad_clip,
    )


def _no_effect(optimizer, options):
    """One notice line for each of ``options`` (``{name: (value, default, why)}``) given a value
    other than its default."""
    for name, (value, default, why) in options.items():
        if value is not None and value != default:
            logger.info("Optimizer.%s=%r has no effect on %s here: %s", name, value, optimizer, why)


def _trainable(model):
    return [p for p in model.parameters() if not p.stop_gradient]
