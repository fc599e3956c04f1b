"""The ``Global`` section, typed: every key the engine reads, its type, default and meaning, in one
place. ``GlobalSettings.of(config)`` parses a config's ``Global`` once into a frozen object; every
reader (trainer, evaluation, export, inference, the charset) asks it instead of ``dict.get`` with
a default of its own.

A key of a config file that is neither a field here nor one of ``REFERENCE_ONLY`` is an error when
the file is loaded, like a misspelt ``-o`` key (``ppocr.config``).

Example::

    settings = GlobalSettings.of(load_config("configs/rec/rec_mv3_tps_bilstm_ctc.yml"))
    settings.max_text_length   # 25
    settings.seed              # 1024 (the config does not set it: the default)
"""
import dataclasses
from typing import Optional, Union

from ppocr.config_check import BOOL, DEVICE, EVAL_BATCH_STEP, NON_NEGATIVE, PATH, POSITIVE, REPLICAS

# Keys the reference release's configs carry that nothing here reads: accepted and ignored, so
# those configs load unchanged; any other unknown key is an error. Key -> why it is not read.
REFERENCE_ONLY = {
    "use_visualdl": "the training curves are train_curves.png and train_log.jsonl, not VisualDL",
    "infer_mode": "the reference's resize switch; the resize ops take their own options",
}


def _key(default, check, doc):
    return dataclasses.field(default=default, metadata={"check": check, "doc": doc})


@dataclasses.dataclass(frozen=True)
class GlobalSettings:
    """The engine's ``Global`` keys; a key missing from the config (or empty) takes the default."""

    # device
    use_gpu: bool = _key(False, BOOL,
                         "run on a GPU when Paddle has one (a CPU build falls back to the CPU, with a warning)")
    device: Optional[str] = _key(None, DEVICE, "cpu, gpu or gpu:N; wins over use_gpu")
    cpu_replicas: Union[str, int] = _key("auto", REPLICAS,
                                         "model replicas of one process training on the CPU (auto: one per core)")
    use_amp: bool = _key(False, BOOL, "mixed precision on a GPU (ignored on the CPU, with a warning)")
    # training schedule
    epoch_num: int = _key(1, POSITIVE, "epochs over the training set")
    seed: int = _key(1024, NON_NEGATIVE, "seed of the weights and the sampling")
    print_batch_step: int = _key(10, POSITIVE, "log every this many steps")
    log_smooth_window: int = _key(20, POSITIVE, "steps the logged loss is averaged over")
    eval_batch_step: Union[int, tuple] = _key((0, 2000), EVAL_BATCH_STEP,
                                             "[start, every]: evaluate every `every` steps after step `start`")
    save_epoch_step: int = _key(1, POSITIVE, "write iter_epoch_N every this many epochs")
    cal_metric_during_train: bool = _key(True, BOOL, "log the accuracy of the training batches")
    # files
    save_model_dir: str = _key("./output/rec/", PATH, "checkpoints, config.yml, train.log and the curves")
    pretrained_model: Optional[str] = _key(None, PATH, "weights to start from (a .pdparams prefix)")
    checkpoints: Optional[str] = _key(None, PATH, "resume: weights, optimizer, step, schedule, best metric")
    skip_mismatched_tensors: bool = _key(False, BOOL,
                                         "load weights whose shapes differ from the model by skipping them")
    save_inference_dir: Optional[str] = _key(None, PATH, "export_model.py's output folder")
    export_onnx: bool = _key(False, BOOL, "export_model.py also writes inference.onnx")
    infer_img: Optional[str] = _key(None, PATH, "infer_rec.py / vis_rectify.py: an image or a folder")
    max_image_pixels: int = _key(4_000_000, NON_NEGATIVE, "infer_rec.py skips an image of more pixels (width x "
                                                            "height, from its header); 0: no limit")
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
        """``device`` or, without it, ``gpu``/``cpu`` from ``use_gpu``."""
        return self.device or ("gpu" if self.use_gpu else "cpu")

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


def describe():
    """Markdown rows ``| key | default | meaning |`` of every key (doc/tools/train.md shows them)."""
    def shown(value):
        return "empty" if value is None else f"`{list(value) if isinstance(value, tuple) else value}`"

    rows = [f"| `{f.name}` | {shown(f.default)} | {f.metadata['doc']} |" for f in dataclasses.fields(GlobalSettings)]
    rows += [f"| `{key}` | | read by the reference release only: {why} |" for key, why in REFERENCE_ONLY.items()]
    return "\n".join(rows)
