"""The Python API, ``from ppocr import TextRecognizer``: its docstring example runs as written; a
path, encoded bytes and a BGR array of one image read alike, in input order, whatever the batch
size; an unreadable input gets a SkipSample naming why in its slot; an input of another type is a
one-line UserError; the backend defaults to onnxruntime when the folder holds inference.onnx."""
import inspect
import textwrap

import cv2
import numpy as np
import pytest

import ppocr
from ppocr.data import SkipSample
from ppocr.engine.inference import read_bytes
from ppocr.errors import UserError
from tests.e2e import REPO

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
    results = namespace["results"]
    assert len(results) == 3 and all(isinstance(t, str) and 0.0 <= s <= 1.0 for t, s in results)
    assert len(capsys.readouterr().out.splitlines()) == 3
    by_path = namespace["rec"]([str(REPO / "doc" / "imgs_words_en" / name) for name in
                                ("word_1.png", "word_10.png", "word_336.png")])
    assert [t for t, _ in results] == [t for t, _ in by_path]


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
    assert isinstance(results[0], SkipSample) and "No such file" in results[0].reason
    assert isinstance(results[1], SkipSample) and "undecodable" in results[1].reason
    assert isinstance(results[3], SkipSample)
    assert results[2] == rec([str(SAMPLES[0])])[0]


@pytest.mark.parametrize("item, expected", [
    (3, "cannot read an image from a int"),
    (np.zeros([32, 100, 3], dtype=np.float32), "must be uint8"),
    (np.zeros([32, 100, 2], dtype=np.uint8), "must be uint8 of shape"),
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
