"""Mixed precision as the reference trains with it (PaddleOCR tools/train.py and tools/program.py):
Paddle's ``auto_cast`` around the model's forward at ``amp_level`` O1 (listed operators in
``amp_dtype``) or O2 (the model cast to ``amp_dtype`` by ``paddle.amp.decorate``, with float32
master weights in the optimizer); the predictions cast back to float32 and the loss computed
outside ``auto_cast``, in float32; the gradients through a ``GradScaler`` that starts at
``scale_loss`` and moves only with ``use_dynamic_loss_scaling``. Micikevicius et al. (2018),
"Mixed precision training", for the master weights and the loss scaling.

Paddle runs mixed precision on CUDA, XPU and its custom devices only: on a CPU place its
``auto_cast``, ``decorate`` and ``GradScaler`` make no effect, and its CPU kernels of batch norm,
the LSTM, ``grid_sample``, the CTC loss and Adam have no bfloat16 (conv2d and matmul have it in
oneDNN's layout only, which dygraph training does not use). There ``build_mixed_precision``
returns None after one notice line, and the run is float32.

Example::

    amp = build_mixed_precision(GlobalSettings.of(config), "gpu:0")   # None when use_amp is off
    model, optimizer = amp.decorate(model, optimizer)                 # O2: the model in float16
    with amp.autocast():
        preds = model(images, targets)
    loss = loss_fn(to_float32(preds), targets)["loss"]               # float32
    amp.scale(loss).backward()
    amp.step(optimizer)
"""
import logging

import numpy as np
import paddle

logger = logging.getLogger("ppocr")
AMP_DEVICES = ("gpu", "xpu", "npu", "mlu", "gcu")  # where Paddle's auto_cast takes effect
# the reference sets these on CUDA before an AMP run: cuDNN's faster batch norm, float32 GEMM accumulation
CUDA_AMP_FLAGS = {"FLAGS_cudnn_batchnorm_spatial_persistent": 1, "FLAGS_gemm_use_half_precision_compute_type": 0}
CPU_NOTICE = ("Global.use_amp: Paddle runs mixed precision on GPU, XPU and custom devices only (on the CPU its "
              "auto_cast, decorate and GradScaler make no effect, and batch norm, the LSTM, grid_sample, the CTC "
              "loss and Adam have no bfloat16 CPU kernel): this run trains in float32")


def runs_on(device):
    """True if Paddle's mixed precision takes effect on ``device`` (``gpu:0``, ``cpu``, ``xpu:1``...)."""
    return str(device).partition(":")[0] in AMP_DEVICES


def build_mixed_precision(settings, device):
    """The run's ``MixedPrecision``, or None: ``use_amp`` off, or a device where Paddle cannot (then
    one notice line says so; never a silent float32 run under an AMP config)."""
    if not settings.use_amp:
        return None
    if not runs_on(device):
        logger.warning(CPU_NOTICE)
        return None
    if str(device).startswith("gpu"):
        paddle.set_flags(CUDA_AMP_FLAGS)
    return MixedPrecision(settings.amp_level, settings.amp_dtype, settings.scale_loss,
                          settings.use_dynamic_loss_scaling, settings.amp_custom_white_list,
                          settings.amp_custom_black_list)


class MixedPrecision:
    """One run's mixed precision: the ``autocast`` context, the O2 ``decorate`` and the scaler."""

    def __init__(self, level="O2", dtype="float16", scale_loss=1.0, dynamic=False, white_list=(), black_list=()):
        self.level, self.dtype = level, dtype
        self.white_list, self.black_list = list(white_list), list(black_list)
        self.scaler = paddle.amp.GradScaler(init_loss_scaling=float(scale_loss), use_dynamic_loss_scaling=dynamic)

    def __repr__(self):
        return f"MixedPrecision({self.level}, {self.dtype})"

    def decorate(self, model, optimizer=None):
        """``(model, optimizer)``; O2: the model's weights cast to ``dtype`` (batch norms kept in
        float32) and float32 master weights in the optimizer (None for evaluation); checkpoints save
        float32 (``save_dtype``), so exporting one gives a float32 model. O1: both unchanged."""
        if self.level != "O2":
            return model, optimizer
        out = paddle.amp.decorate(models=model, optimizers=optimizer, level="O2", master_weight=True,
                                  dtype=self.dtype, save_dtype="float32")
        return out if optimizer is not None else (out, None)

    def autocast(self):
        """The context the model's forward runs in (training and evaluation alike)."""
        return paddle.amp.auto_cast(level=self.level, dtype=self.dtype, custom_white_list=self.white_list or None,
                                    custom_black_list=self.black_list or None)

    def scale(self, loss):
        """The loss times the current scale (what backward runs from)."""
        return self.scaler.scale(loss)

    def step(self, optimizer):
        """The update from the scaled gradients (skipped when one is not finite), then the scale's
        update: ``GradScaler.minimize`` in two calls, so that replicas can reduce in between."""
        self.scaler.step(optimizer)
        self.scaler.update()

    def state_dict(self):
        """The scaler's state as JSON data (the checkpoint's ``.states`` holds it)."""
        return {key: np.asarray(value).tolist() if isinstance(value, np.ndarray) else value
                for key, value in self.scaler.state_dict().items()}

    def load_state_dict(self, state):
        """Put the scaler back where a checkpoint left it (nothing to do for an empty state)."""
        if state:
            self.scaler.load_state_dict({**state, "scale": np.asarray(state["scale"], dtype=np.float32)})

    def inference(self, net):
        """``net`` for evaluation during training: its forward under ``autocast``, predictions in float32."""
        return _AutocastNet(net, self)


class _AutocastNet:
    """What evaluation calls on images: the training net under the run's ``autocast``."""

    def __init__(self, net, amp):
        self.net, self.amp = net, amp

    @property
    def training(self):
        return self.net.training

    def train(self):
        self.net.train()

    def eval(self):
        self.net.eval()

    def __call__(self, images):
        with self.amp.autocast():
            preds = self.net(images)
        return to_float32(preds)


def to_float32(preds):
    """``preds`` (a tensor, or a dict / list / tuple of them) with every floating tensor in float32."""
    if isinstance(preds, dict):
        return {key: to_float32(value) for key, value in preds.items()}
    if isinstance(preds, (list, tuple)):
        return type(preds)(to_float32(value) for value in preds)
    if isinstance(preds, paddle.Tensor) and preds.is_floating_point() and preds.dtype != paddle.float32:
        return preds.astype("float32")
    return preds
