"""The Python API, ``from ppocr import TextRecognizer``: its docstring example runs as written; a
path, encoded bytes and a BGR array of one image read alike, in input order, whatever the batch
size; one image gives one reading, a list a list; an unreadable input gets a ``Skipped`` naming why
in its slot; an input of another type is a one-line UserError; the backend defaults to onnxruntime
when the folder holds inference.onnx, and that backend runs where Paddle cannot be imported."""
import inspect
import json
import os
import subprocess
import sys
import textwrap

import cv2
import numpy as np
import pytest

import ppocr
from ppocr.data.preprocess import read_bytes
from ppocr.errors import UserError
from tests.helpers.e2e import REPO
from tests.inference.test_image_header import png_declaring

SHIPPED = REPO / "pretrained" / "rec_mv3_tps_bilstm_ctc_synth" / "inference"
SAMPLES = sorted((REPO / "doc" / "imgs_words_en").glob("*.png"))


def docstring_example(obj):
    """The indented block after 'Example ...::' in ``obj``'s docstring."""
    doc = inspect.getdoc(obj)
    block = doc.split("::\n", 1)[1]
    lines = []
    for line in block.splitlines():
        if line and not line.startswith(" "):
            break
        lines.append(line)
    return textwrap.dedent("\n".join(lines))


@pytest.fixture(scope="module")
def rec(shipped_onnx):
    return ppocr.TextRecognizer(shipped_onnx, batch_size=3, cpu_threads=2)


def test_docstring_example_runs_as_written(monkeypatch, capsys):
    monkeypatch.chdir(REPO)
    namespace = {}
    exec(compile(docstring_example(ppocr.TextRecognizer), "TextRecognizer docstring", "exec"), namespace)
    first, results = namespace["first"], namespace["results"]
    assert type(first) is tuple and isinstance(first[0], str) and 0.0 <= first[1] <= 1.0
    assert len(results) == 2 and all(isinstance(t, str) and 0.0 <= s <= 1.0 for t, s in results)
    assert len(capsys.readouterr().out.splitlines()) == 3
    by_path = namespace["rec"]([str(REPO / "doc" / "imgs_words_en" / name) for name in
                                ("word_1.png", "word_10.png", "word_336.png")])
    assert [first[0]] + [t for t, _ in results] == [t for t, _ in by_path]


def test_three_input_kinds_read_alike_in_order(rec):
    assert rec.backend_name == "onnxruntime"  # the default: the folder holds inference.onnx
    paths = SAMPLES[:5]
    by_path = rec([str(p) for p in paths])
    by_bytes = rec([read_bytes(p) for p in paths])
    by_array = rec([cv2.imread(str(p)) for p in paths])
    mixed = rec([str(paths[0]), read_bytes(paths[1]), cv2.imread(str(paths[2])), paths[3], bytearray(read_bytes(paths[4]))])
    assert len({text for text, _ in by_path}) >= 4, by_path  # the readings differ by image
    for got in (by_bytes, by_array, mixed):
        assert [t for t, _ in got] == [t for t, _ in by_path]
        np.testing.assert_allclose([s for _, s in got], [s for _, s in by_path], atol=1e-6)
    rec.batch_size = 1
    try:
        one_by_one = rec([str(p) for p in paths])
    finally:
        rec.batch_size = 3
    assert [t for t, _ in one_by_one] == [t for t, _ in by_path]


def test_grey_arrays_are_read(rec):
    grey = cv2.imread(str(SAMPLES[0]), cv2.IMREAD_GRAYSCALE)
    [(text, score)] = rec([grey])
    assert isinstance(text, str) and 0.0 <= score <= 1.0


def test_unreadable_inputs_get_a_reason_in_their_slot(rec, tmp_path):
    results = rec([str(tmp_path / "missing.png"), b"not an image", str(SAMPLES[0]), b""])
    assert isinstance(results[0], ppocr.Skipped) and "No such file" in results[0].reason
    assert isinstance(results[1], ppocr.Skipped) and "undecodable" in results[1].reason
    assert isinstance(results[3], ppocr.Skipped)
    assert results[2] == rec([str(SAMPLES[0])])[0]
    assert json.loads(json.dumps(results))[:3] == [{"skipped": results[0].reason}, {"skipped": results[1].reason},
                                                   list(results[2])]


def test_one_image_of_each_kind_gives_one_reading(rec):
    """A path used to be read as its characters (28 skips) and an array as its rows (47 readings)."""
    path = SAMPLES[0]
    [expected] = rec([str(path)])
    for one in (str(path), path, read_bytes(path), bytearray(read_bytes(path)), cv2.imread(str(path))):
        reading = rec(one)
        assert type(reading) is tuple and reading[0] == expected[0], type(one)
        assert reading[1] == pytest.approx(expected[1], abs=1e-6)
    grey = rec(cv2.imread(str(path), cv2.IMREAD_GRAYSCALE))  # other pixels, so a score of its own
    assert type(grey) is tuple and isinstance(grey[0], str)
    assert rec((str(path), str(path))) == [expected, expected]
    assert isinstance(rec(b"not an image"), ppocr.Skipped)


def test_an_image_over_the_pixel_limit_is_skipped_and_the_limit_is_settable(shipped_onnx):
    small = ppocr.TextRecognizer(shipped_onnx, cpu_threads=1, max_image_pixels=32 * 100)
    image = cv2.imread(str(SAMPLES[0]))
    height, width = image.shape[:2]
    assert height * width > 32 * 100
    results = small([image, cv2.resize(image, dsize=(50, 20)), png_declaring(20000, 20000)])
    assert isinstance(results[0], ppocr.Skipped) and f"{width} x {height}" in results[0].reason
    assert "max_image_pixels=3200" in results[0].reason and type(results[1]) is tuple
    assert isinstance(results[2], ppocr.Skipped) and "20000 x 20000" in results[2].reason
    with pytest.raises(UserError, match="max_image_pixels=0: expected a positive integer"):
        ppocr.TextRecognizer(shipped_onnx, max_image_pixels=0)


def test_the_default_pixel_limit_refuses_a_huge_header_before_decoding(rec, monkeypatch):
    monkeypatch.setattr(cv2, "imdecode", lambda *a, **k: pytest.fail("decoded an image over the pixel limit"))
    result = rec(png_declaring(20000, 20000))
    assert isinstance(result, ppocr.Skipped) and "more than max_image_pixels=4000000" in result.reason


@pytest.mark.parametrize("item, expected", [
    (3, "cannot read an image from a int"),
    (np.zeros([32, 100, 3], dtype=np.float32), "must be uint8"),
    (np.zeros([32, 100, 2], dtype=np.uint8), "must be uint8 of shape"),
    ([str(SAMPLES[0])], "a list inside the list is ambiguous"),
    (np.zeros([2, 32, 100, 3], dtype=np.uint8), "a batch of images is a list of arrays"),
])
def test_an_input_of_another_kind_is_one_line_user_error(rec, item, expected):
    with pytest.raises(UserError, match=expected) as info:
        rec([item])
    assert "\n" not in str(info.value)


def test_paddle_backend_is_the_default_without_onnx_and_reads_the_same(rec, shipped_paddle_only):
    paddle_rec = ppocr.TextRecognizer(shipped_paddle_only, cpu_threads=2)
    assert paddle_rec.backend_name == "paddle"
    paths = [str(p) for p in SAMPLES]
    assert [t for t, _ in paddle_rec(paths)] == [t for t, _ in rec(paths)]


def test_wrong_model_folder_and_batch_size_are_one_line(tmp_path):
    with pytest.raises(UserError, match="does not exist"):
        ppocr.TextRecognizer(tmp_path / "nowhere")
    with pytest.raises(UserError, match="inference.yml' is missing"):
        ppocr.TextRecognizer(tmp_path)
    with pytest.raises(UserError, match="batch_size=0"):
        ppocr.TextRecognizer(SHIPPED, batch_size=0)
    (tmp_path / "inference.yml").write_text("x: 1\n")
    with pytest.raises(UserError, match="inference.yml' has no Global section: .* tools/export_model.py"):
        ppocr.TextRecognizer(tmp_path)


# Runs in a fresh interpreter where only what the onnxruntime install brings can be imported:
# the standard library, numpy, OpenCV, PyYAML, onnxruntime (with what it imports itself) and ppocr.
RUNTIME_ONLY = """
import importlib.abc, json, sys
import cv2, numpy, onnxruntime, yaml
allowed = set(sys.stdlib_module_names) | {name.split(".")[0] for name in sys.modules} | {"ppocr"}
refused = []

class Blocker(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] not in allowed:
            refused.append(name)
            raise ImportError(f"{name} is not part of the onnxruntime install")

sys.meta_path.insert(0, Blocker())
from ppocr import TextRecognizer
from ppocr.errors import UserError
rec = TextRecognizer(sys.argv[1], cpu_threads=1)
readings = rec(sys.argv[3:])
sys.modules["paddle"] = None  # absent to a probe on sys.path too, as where it is not installed
try:  # a folder without inference.onnx: its backend would be Paddle's
    TextRecognizer(sys.argv[2])
except UserError as e:
    without_onnx = str(e)
print(json.dumps({"backend": rec.backend_name, "readings": readings, "refused": refused,
                  "without_onnx": without_onnx,
                  "paddle": sorted(name for name, module in sys.modules.items()
                                   if name.split(".")[0] == "paddle" and module is not None)}))
"""


@pytest.mark.subprocess_tools
def test_the_onnxruntime_backend_runs_where_paddle_cannot_be_imported(rec, shipped_onnx, shipped_paddle_only):
    paths = [str(p) for p in SAMPLES[:4]] + ["missing.png"]
    proc = subprocess.run([sys.executable, "-c", RUNTIME_ONLY, str(shipped_onnx), str(shipped_paddle_only), *paths],
                          cwd=REPO,
                          capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["backend"] == "onnxruntime" and out["refused"] == [] and out["paddle"] == []
    assert "runs on Paddle inference, and PaddlePaddle is not installed: pip install paddlepaddle" in \
        out["without_onnx"]
    assert "paddle" not in proc.stderr.lower(), proc.stderr  # none of Paddle's start-up warnings either
    expected = json.loads(json.dumps(rec(paths)))
    assert [r[0] if isinstance(r, list) else r for r in out["readings"]] == \
        [r[0] if isinstance(r, list) else r for r in expected]
