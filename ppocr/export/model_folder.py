"""The exported-model folder, a versioned format: this module alone writes and reads it.

``tools/export_model.py`` writes (``export.py``, ``onnx_export.py``); the Python API,
``predict_rec.py`` and the service read. A folder holds

- ``inference.yml``: ``format_version``, ``Global`` (model name, algorithm, input shape
  ``[C, H, W]``), ``PreProcess.transform_ops`` (the data ops that make the model's input) and
  ``PostProcess`` (the decoder, with the charset it decodes with);
- ``inference.json`` (``inference.pdmodel`` from older Paddle) + ``inference.pdiparams``: the
  Paddle inference graph and its weights;
- ``inference.onnx`` when exported with ``--onnx``.

A folder without ``format_version`` was exported before the key existed: it is read as version 1
when the rest is as version 1 has it. A folder of PaddleOCR's own (its Paddle graph and weights,
with no ``inference.yml`` or one its export wrote) is described from predict_rec's flags by
``reference_folder.describe``. Nothing here imports Paddle (an onnxruntime deployment reads
folders without it).

Example::

    info = read_model_info("pretrained/rec_mv3_tps_bilstm_ctc_synth/inference")
    info.algorithm, info.image_shape        # ('STARNet', [3, 32, 100])
"""
import dataclasses
import os

import yaml

from ppocr.errors import UserError
from ppocr.export.reference_folder import ReferenceFlags, describe, is_reference_info
from ppocr.utils.io import atomic_write_bytes

FORMAT_VERSION = 1
INFO_FILE = "inference.yml"
PADDLE_PREFIX = "inference"  # paddle.jit.save's path prefix: inference.json + inference.pdiparams
PADDLE_GRAPH_FILES = ("inference.json", "inference.pdmodel")
PADDLE_PARAMS_FILE = "inference.pdiparams"
# the reference's predictor also reads PaddleX's file names (utility.py's create_predictor)
PADDLEX_FILES = ("model.json", "model.pdmodel", "model.pdiparams")
ONNX_FILE = "inference.onnx"
CONFIG_COPY = "config.yml"  # the merged config export_model.py writes beside the model (the service's page reads it)
EXPORT_COMMAND = ("python tools/export_model.py -c CONFIG -o Global.pretrained_model=WEIGHTS "
                  "Global.save_inference_dir=FOLDER")
CHARSET_KEYS = ("scheme", "characters", "lower", "max_text_length")


@dataclasses.dataclass(frozen=True)
class ModelInfo:
    """What ``inference.yml`` says, checked. ``postprocess`` is the decoder's section without the
    charset; ``charset`` is ``Charset.to_dict()``'s mapping. ``reference``: a PaddleOCR folder
    described from flags; Paddle runs its graph with ``paddle_delete_passes`` deleted and, when
    ``paddle_onednn`` is False, without oneDNN (Paddle 3.3.1 breaks it otherwise)."""

    model_dir: str
    format_version: int
    algorithm: str
    image_shape: list
    transform_ops: list
    postprocess: dict
    charset: dict
    reference: bool = False
    paddle_delete_passes: tuple = ()
    paddle_onednn: bool = None
    onnx_file: str = None  # an .onnx file given in place of the folder

    @property
    def path(self):
        return os.path.join(self.model_dir, INFO_FILE)

    @property
    def onnx(self):
        """The ONNX graph onnxruntime runs: the file given, else the folder's inference.onnx."""
        return self.onnx_file or onnx_path(self.model_dir)


def write_model_info(save_dir, algorithm, image_shape, transform_ops, postprocess, charset):
    """Write ``save_dir/inference.yml`` (atomically); returns its path. ``postprocess`` is the
    config's PostProcess section, ``charset`` the run's ``Charset.to_dict()``."""
    info = {
        "format_version": FORMAT_VERSION,
        "Global": {"model_name": os.path.basename(os.path.normpath(save_dir)), "algorithm": algorithm,
                   "image_shape": [int(v) for v in image_shape]},
        "PreProcess": {"transform_ops": transform_ops},
        "PostProcess": {**{k: v for k, v in postprocess.items() if k != "character_dict_path"}, "charset": charset},
    }
    path = os.path.join(save_dir, INFO_FILE)
    atomic_write_bytes(path, yaml.safe_dump(info, sort_keys=False, allow_unicode=True).encode("utf-8"))
    return path


def _not_ours(path, what):
    return UserError(f"{path!r} {what}: it is not an exported model of this toolkit; write one with {EXPORT_COMMAND}")


def _section(info, key, path):
    value = info.get(key)
    if not isinstance(value, dict):
        raise _not_ours(path, f"has no {key} section")
    return value


def _format_version(info, path):
    version = info.get("format_version", 1)  # exports made before the key existed are version 1
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise _not_ours(path, f"has format_version {version!r}, expected a positive integer")
    if version > FORMAT_VERSION:
        raise UserError(f"{path!r} has format_version {version}, written by a newer ppocr-starnet-spin (this one "
                        f"reads up to {FORMAT_VERSION}): upgrade it, or re-export with this version's {EXPORT_COMMAND}")
    return version


def read_model_info(model_dir, reference_flags=None, onnx_only=False):
    """``model_dir/inference.yml`` as a checked ``ModelInfo``; anything else is a one-line UserError
    naming the file, what is missing and the command that writes a good folder. A PaddleOCR
    folder is described from ``reference_flags`` (a ``ReferenceFlags``; None: the reference's defaults).
    ``model_dir`` may be an ``.onnx`` file: its folder's ``inference.yml`` describes it, or, without
    one, ``reference_flags`` do (``onnx_only``: the folder needs no Paddle graph)."""
    model_dir, onnx_file = _folder_of(os.fspath(model_dir))
    if onnx_file is not None:
        return dataclasses.replace(read_model_info(model_dir, reference_flags, onnx_only=True), onnx_file=onnx_file)
    if not os.path.isdir(model_dir):
        raise UserError(f"model folder {model_dir!r} does not exist: pass the folder tools/export_model.py wrote "
                        "(Global.save_inference_dir)")
    path = os.path.join(model_dir, INFO_FILE)
    if not os.path.isfile(path):
        if onnx_only or _graph_files(model_dir) is not None:
            return _reference_info(model_dir, reference_flags, None)
        raise UserError(f"{path!r} is missing: export the model with tools/export_model.py into that folder "
                        f"({EXPORT_COMMAND}); a PaddleOCR inference folder holds {' or '.join(PADDLE_GRAPH_FILES)} "
                        f"and {PADDLE_PARAMS_FILE} instead")
    try:
        with open(path, "rb") as f:
            info = yaml.safe_load(f.read().decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise _not_ours(path, f"is not readable YAML ({' '.join(str(e).split())})") from None
    if is_reference_info(info) and (onnx_only or _graph_files(model_dir) is not None):
        return _reference_info(model_dir, reference_flags, info)
    if not isinstance(info, dict):
        raise _not_ours(path, "is not a mapping with Global, PreProcess and PostProcess sections")
    version = _format_version(info, path)
    g, pre, post = (_section(info, key, path) for key in ("Global", "PreProcess", "PostProcess"))
    shape = g.get("image_shape")
    if not (isinstance(shape, list) and len(shape) == 3 and all(type(v) is int and v > 0 for v in shape)):
        raise _not_ours(path, f"has no Global.image_shape [C, H, W] (got {shape!r})")
    ops = pre.get("transform_ops")
    if not (isinstance(ops, list) and ops and all(isinstance(op, dict) and len(op) == 1 for op in ops)):
        raise _not_ours(path, "has no PreProcess.transform_ops list of data ops")
    charset = post.get("charset")
    if not isinstance(post.get("name"), str) or not isinstance(charset, dict):
        raise _not_ours(path, "has no PostProcess name and charset")
    missing = [key for key in CHARSET_KEYS if key not in charset]
    if missing or not isinstance(charset["characters"], list):
        raise _not_ours(path, f"has no PostProcess.charset.{(missing or ['characters'])[0]}")
    algorithm = g.get("algorithm")
    return ModelInfo(model_dir=model_dir, format_version=version,
                     algorithm=algorithm if isinstance(algorithm, str) else None, image_shape=list(shape), transform_ops=ops,
                     postprocess={k: v for k, v in post.items() if k != "charset"}, charset=charset)


def _folder_of(model_dir):
    """(folder, None) for a folder, (its folder, the file) for an .onnx file; any other file is a
    one-line UserError."""
    if not os.path.isfile(model_dir):
        return model_dir, None
    if not model_dir.lower().endswith(".onnx"):
        raise UserError(f"{model_dir!r} is a file: pass the folder that holds it and inference.yml (what "
                        "tools/export_model.py wrote), or an .onnx file (predict_rec: with --use_onnx True)")
    return os.path.dirname(model_dir) or ".", model_dir


def _reference_info(model_dir, flags, reference_info):
    fields = describe(flags or ReferenceFlags(), reference_info)
    return ModelInfo(model_dir=model_dir, format_version=FORMAT_VERSION, reference=True, **fields)


def paddle_prefix(save_dir):
    """The path prefix ``paddle.jit.save`` writes the graph and weights under."""
    return os.path.join(save_dir, PADDLE_PREFIX)


def _graph_files(model_dir):
    """(graph, params) of the first complete pair of the folder (ours, then PaddleX's names), or None."""
    for graphs, params in ((PADDLE_GRAPH_FILES, PADDLE_PARAMS_FILE), (PADDLEX_FILES[:2], PADDLEX_FILES[2])):
        for name in graphs:
            if os.path.isfile(os.path.join(model_dir, name)) and os.path.isfile(os.path.join(model_dir, params)):
                return os.path.join(model_dir, name), os.path.join(model_dir, params)
    return None


def paddle_files(model_dir):
    """(graph, params) of the folder's Paddle inference model; a one-line UserError when either is missing."""
    found = _graph_files(model_dir)
    if found is not None:
        return found
    if not any(os.path.isfile(os.path.join(model_dir, name)) for name in PADDLE_GRAPH_FILES + PADDLEX_FILES[:2]):
        raise UserError(f"{model_dir!r} has no {' or '.join(PADDLE_GRAPH_FILES)}: is it an exported model folder? "
                        f"Write one with {EXPORT_COMMAND}")
    params = os.path.join(model_dir, PADDLE_PARAMS_FILE)
    raise UserError(f"{params!r} is missing: re-export the model ({EXPORT_COMMAND})")


def onnx_path(model_dir):
    return os.path.join(model_dir, ONNX_FILE)


def has_onnx(model_dir):
    return os.path.isfile(onnx_path(model_dir))
