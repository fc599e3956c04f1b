"""The ``Global`` section, typed: every key the engine reads, its type, default and meaning, in one
place. ``GlobalSettings.of(config)`` parses a config's ``Global`` once into a frozen object; every
reader (trainer, evaluation, export, inference, the charset) asks it instead of ``dict.get`` with
a default of its own. A tool parses it once (``ppocr.cli.startup.setup``) and hands it down: the
library's functions take ``settings=`` and parse the config themselves only when called without.

Every Global key of the reference's recognition configs (PaddleOCR, configs/rec) is either a field
here, read and acted on, or one of ``REFERENCE_ONLY`` (its other algorithms' keys), which loads and
gets one notice line when set (``notices``). Any other key of a config file is an error when the
file is loaded, like a misspelt ``-o`` key (``ppocr.config``).

Example::

    settings = GlobalSettings.of(load_config("configs/rec/rec_mv3_tps_bilstm_ctc.yml"))
    settings.max_text_length   # 25
    settings.seed              # 1024 (the config does not set it: the default)
"""
import dataclasses
from typing import Optional, Union

from ppocr.config_types import (
    AMP_DTYPE,
    AMP_LEVEL,
    BOOL,
    DEVICE,
    EVAL_BATCH_STEP,
    NON_NEGATIVE,
    OP_NAMES,
    PATH,
    POSITIVE,
    POSITIVE_NUMBER,
    RANKS,
    REPLICAS,
)

# Keys of the reference's recognition configs that nothing here reads: its other algorithms' keys,
# and switches of its own outputs. Accepted so those configs load unchanged; a value other than the
# reference's default gets one notice line (``notices``), never silence. Key -> (default, why).
REFERENCE_ONLY = {
    "infer_mode": (False, "with a dictionary, the reference's RecResizeImg then resized to the widest "
                          "aspect ratio of its Chinese models; here the resize ops take their own options"),
    "character_type": (None, "PaddleOCR 2.0's language switch, read by no code of the reference; the "
                             "dictionary is character_dict_path"),
    "debug": (False, "read by no code of the reference"),
    "model_name": (None, "names the model in the reference's PaddleX outputs (uniform_output_enabled)"),
    "uniform_output_enabled": (False, "the reference's PaddleX layout (a folder per checkpoint with its "
                                      "inference model); here checkpoints stay in save_model_dir: export "
                                      "one with tools/export_model.py"),
    "to_static": (False, "the reference's dygraph-to-static training; here training runs in dygraph "
                         "(export_model.py makes the static graph)"),
    "d2s_train_image_shape": (None, "the input shape of the reference's to_static training"),
    "export_with_pir": (True, "the reference's export format switch; export_model.py here writes "
                              "Paddle 3's format (inference.json)"),
    "allow_resize_largeImg": (False, "read by the reference's formula recognisers (PP-FormulaNet, UniMERNet)"),
    "input_size": (None, "read by the reference's formula recognisers (PP-FormulaNet, UniMERNet)"),
    "max_new_tokens": (None, "read by the reference's formula recognisers (PP-FormulaNet)"),
    "max_seq_len": (None, "read by the reference's LaTeX-OCR and UniMERNet"),
    "rec_char_dict_path": (None, "the tokenizer of the reference's formula recognisers"),
    "start_ema": (None, "read by the reference's formula recognisers (PP-FormulaNet)"),
    "num_heads": (None, "read by the reference's SRN and ParseQ"),
    "rm_symbol": (None, "read by the reference's SAR, RobustScanner and SATRN decoders"),
    "training_step": (None, "read by the reference's VisionLAN"),
}


def _key(default, check, doc):
    return dataclasses.field(default=default, metadata={"check": check, "doc": doc})


@dataclasses.dataclass(frozen=True)
class GlobalSettings:
    """The engine's ``Global`` keys; a key missing from the config (or empty) takes the default."""

    # device
    use_gpu: bool = _key(False, BOOL,
                         "run on a GPU when Paddle has one (a CPU build falls back to the CPU, with a warning)")
    use_xpu: bool = _key(False, BOOL, "run on a Kunlun XPU (a Paddle built for XPU; FLAGS_selected_xpus picks it)")
    use_npu: bool = _key(False, BOOL, "run on an Ascend NPU (Paddle's npu custom device; FLAGS_selected_npus picks it)")
    use_mlu: bool = _key(False, BOOL, "run on a Cambricon MLU (Paddle's mlu custom device; FLAGS_selected_mlus "
                                      "picks it)")
    use_gcu: bool = _key(False, BOOL, "run on an Enflame GCU (Paddle's gcu custom device; FLAGS_selected_gcus "
                                      "picks it)")
    device: Optional[str] = _key(None, DEVICE, "cpu, gpu or gpu:N (xpu, npu, mlu, gcu likewise); wins over use_*")
    cpu_replicas: Union[str, int] = _key("auto", REPLICAS,
                                         "model replicas of one process training on the CPU (auto: one per core)")
    distributed: bool = _key(False, BOOL, "set from the run: True when several processes train "
                                          "(paddle.distributed.launch); a value in the config is replaced")
    use_sync_bn: bool = _key(False, BOOL, "batch norms synchronised across the GPUs of a run (SyncBatchNorm)")
    find_unused_parameters: bool = _key(False, BOOL, "paddle.DataParallel's find_unused_parameters (several processes)")
    # mixed precision (paddle.amp), as the reference runs it
    use_amp: bool = _key(False, BOOL, "mixed precision (GPU, XPU, custom devices; a CPU trains in float32, "
                                      "with one notice)")
    amp_level: str = _key("O2", AMP_LEVEL, "O1: listed ops in amp_dtype; O2: the model cast to amp_dtype, "
                                           "float32 master weights in the optimizer")
    amp_dtype: str = _key("float16", AMP_DTYPE, "float16 or bfloat16")
    scale_loss: float = _key(1.0, POSITIVE_NUMBER, "the loss scale the gradient scaler starts from")
    use_dynamic_loss_scaling: bool = _key(False, BOOL, "let the scaler raise and lower the scale (else it stays fixed)")
    amp_custom_black_list: tuple = _key((), OP_NAMES, "operators kept in float32 under AMP")
    amp_custom_white_list: tuple = _key((), OP_NAMES, "operators run in amp_dtype under AMP")
    # training schedule
    epoch_num: int = _key(1, POSITIVE, "epochs over the training set")
    seed: int = _key(1024, NON_NEGATIVE, "seed of the weights and the sampling")
    print_batch_step: int = _key(10, POSITIVE, "log every this many steps")
    log_smooth_window: int = _key(20, POSITIVE, "steps the logged loss is averaged over")
    eval_batch_step: Union[int, tuple] = _key((0, 2000), EVAL_BATCH_STEP,
                                             "[start, every]: evaluate every `every` steps after step `start`")
    save_epoch_step: int = _key(1, POSITIVE, "write iter_epoch_N every this many epochs")
    eval_batch_epoch: Optional[int] = _key(None, POSITIVE, "evaluate every this many epochs from the start "
                                                           "(wins over eval_batch_step)")
    cal_metric_during_train: bool = _key(True, BOOL, "log the accuracy of the training batches")
    calc_epoch_interval: int = _key(1, POSITIVE, "compute that accuracy only in the epochs divisible by this")
    # logs and dashboards
    log_ranks: tuple = _key((0,), RANKS, "the processes whose info lines reach the console, e.g. 0,1")
    print_mem_info: bool = _key(True, BOOL, "log lines show the GPU's peak memory (on a GPU)")
    use_visualdl: bool = _key(False, BOOL, "write VisualDL logs to save_model_dir/vdl (visualdl --logdir ...)")
    use_wandb: bool = _key(False, BOOL, "log to Weights & Biases (the wandb: section's options; offline "
                                        "without a login)")
    # files
    save_model_dir: str = _key("./output/rec/", PATH, "checkpoints, config.yml, train.log and the curves")
    pretrained_model: Optional[str] = _key(None, PATH, "weights to start from (a .pdparams prefix)")
    checkpoints: Optional[str] = _key(None, PATH, "resume: weights, optimizer, step, schedule, best metric")
    skip_mismatched_tensors: bool = _key(False, BOOL,
                                         "load weights whose shapes differ from the model by skipping them")
    save_inference_dir: Optional[str] = _key(None, PATH, "export_model.py's output folder")
    export_onnx: bool = _key(False, BOOL, "export_model.py also writes inference.onnx")
    infer_img: Optional[str] = _key(None, PATH, "infer_rec.py / vis_rectify.py: an image or a folder")
    max_image_pixels: int = _key(4_000_000, NON_NEGATIVE, "infer_rec.py and vis_rectify.py skip an image of more "
                                                            "pixels (width x height, from its header); 0: no limit")
    save_res_path: Optional[str] = _key(None, PATH,
                                        "infer_rec.py writes its readings here (path, text, score per line, tab-separated)")
    # the charset
    character_dict_path: Optional[str] = _key(None, PATH, "one character per line; empty: 0-9a-z, lower-cased")
    max_text_length: int = _key(25, POSITIVE, "the longest label, in characters; sizes the labels and SPIN's decoder")
    use_space_char: Optional[bool] = _key(None, BOOL, "add ' ' to the dictionary's characters (wins over "
                                                       "PostProcess's, as in the reference; unset: PostProcess's, else no)")

    @classmethod
    def of(cls, config):
        """The settings of ``config``'s ``Global`` section: values checked and normalised (10.0 -> 10),
        defaults for what is missing or empty. Unknown keys are refused when a file is loaded
        (``ppocr.config.load_config``), not here: one added with ``-o +Global.x=...`` is the user's."""
        section = config.get("Global") or {}
        values = {}
        for field in dataclasses.fields(cls):
            value = section.get(field.name)
            if value is not None and value != "":
                value = field.metadata["check"].apply(f"Global.{field.name}", value)
                values[field.name] = tuple(value) if isinstance(value, list) else value  # frozen all through
        return cls(**values)

    @property
    def device_name(self):
        """``device`` or, without it, the kind a ``use_*`` key asks for (the reference's order: xpu, npu,
        mlu, gcu, then gpu), else ``cpu``; ``ppocr.utils.device.select_device`` picks the card."""
        asked = [kind for kind in ("xpu", "npu", "mlu", "gcu", "gpu") if getattr(self, f"use_{kind}")]
        return self.device or (asked[0] if asked else "cpu")

    @property
    def weights(self):
        """The weights the config names: ``checkpoints`` (resuming) wins over ``pretrained_model``."""
        return self.checkpoints or self.pretrained_model

    @property
    def eval_schedule(self):
        """``(start, every)`` of ``eval_batch_step`` (one number is ``every`` from step 0)."""
        value = self.eval_batch_step
        if isinstance(value, (list, tuple)):
            return int(value[0]), max(1, int(value[1]))
        return 0, max(1, int(value))


def keys():
    """The ``Global`` keys the engine reads or knows from the reference configs."""
    return {field.name for field in dataclasses.fields(GlobalSettings)} | set(REFERENCE_ONLY)


def checks():
    """{'Global.key': Check} of every typed key."""
    return {f"Global.{field.name}": field.metadata["check"] for field in dataclasses.fields(GlobalSettings)}


def notices(config):
    """One line for each key of ``config``'s Global that the reference would act on and nothing here
    does (``REFERENCE_ONLY`` with a value other than the reference's default), and for the
    top-level ``profiler_options``; the tools log them when they start."""
    section = config.get("Global") or {}
    set_here = {key: value for key, value in section.items() if key in REFERENCE_ONLY and value is not None}
    lines = [f"Global.{key}={value!r} has no effect here: {REFERENCE_ONLY[key][1]}"
             for key, value in set_here.items() if value != REFERENCE_ONLY[key][0]]
    if config.get("profiler_options"):
        lines.append(f"profiler_options={config['profiler_options']!r} has no effect here: the reference's step "
                     "profiler is not run (benchmark/train_speed.py times each phase of a step)")
    return lines


def describe():
    """Markdown rows ``| key | default | meaning |`` of every key (doc/tools/train.md shows them)."""
    def shown(value):
        return "empty" if value is None else f"`{list(value) if isinstance(value, tuple) else value}`"

    rows = [f"| `{f.name}` | {shown(f.default)} | {f.metadata['doc']} |" for f in dataclasses.fields(GlobalSettings)]
    rows += [f"| `{key}` | {shown(default)} | no effect here (one notice when set otherwise): {why} |"
             for key, (default, why) in REFERENCE_ONLY.items()]
    return "\n".join(rows)
