"""predict_rec's ``--use_gpu`` defaults to ``auto`` (the GPU when there is one, else the CPU without
a word; the reference's default is True), an explicit True on a CPU build keeps its one warning
line; and ``--use_onnx True`` takes an ``.onnx`` file as ``--rec_model_dir``, as the reference's
does, described by its folder's inference.yml or, without one, by the reference's flags."""
import shutil
import types

import pytest

from ppocr import TextRecognizer
from ppocr.cli.predict_rec import main as predict_rec
from ppocr.errors import UserError
from ppocr.inference import backends
from tests.helpers.e2e import REPO

SHIPPED = REPO / "pretrained" / "rec_mv3_tps_bilstm_ctc_synth" / "inference"
WORDS = REPO / "doc" / "imgs_words_en"
IMAGE = str(WORDS / "word_336.png")
GPU_WARNING = "use_gpu: this PaddlePaddle is a CPU build"
STARNET = ["--rec_image_shape=3, 32, 100", f"--rec_char_dict_path={REPO / 'ppocr' / 'utils' / 'ic15_dict.txt'}"]


def _readings(out):
    return {line.split(":", 1)[0].rsplit("/", 1)[-1]: line.split(":", 1)[1] for line in out.splitlines()
            if line.startswith("Predicts of ")}


def test_the_default_runs_on_the_cpu_of_a_cpu_build_without_a_warning(capsys):
    predict_rec([f"--image_dir={IMAGE}", f"--rec_model_dir={SHIPPED}", "--cpu_threads=2"])
    out = capsys.readouterr().out
    assert "('tells', 0.99" in out
    assert GPU_WARNING not in out and "WARNING" not in out


def test_an_explicit_use_gpu_true_on_a_cpu_build_warns_once(capsys):
    predict_rec([f"--image_dir={IMAGE}", f"--rec_model_dir={SHIPPED}", "--cpu_threads=2", "--use_gpu=True"])
    out = capsys.readouterr().out
    assert "('tells', 0.99" in out
    assert out.count(GPU_WARNING) == 1


def test_the_python_api_default_is_auto_too(caplog):
    rec = TextRecognizer(SHIPPED, backend="paddle", cpu_threads=2)
    assert rec.engine.use_gpu is False and not rec.backend.config.use_gpu()
    assert not [m for m in caplog.messages if GPU_WARNING in m]


@pytest.mark.parametrize("cuda, devices, chosen", [(True, 1, True), (True, 0, False), (False, 0, False)])
def test_auto_takes_the_gpu_when_paddle_has_cuda_and_sees_a_device(monkeypatch, cuda, devices, chosen):
    import paddle

    monkeypatch.setattr(paddle.device, "is_compiled_with_cuda", lambda: cuda)
    monkeypatch.setattr(paddle.device, "cuda", types.SimpleNamespace(device_count=lambda: devices))
    assert backends.gpu_choice("auto", "paddle") is chosen
    assert backends.gpu_choice(None, "paddle") is chosen
    assert backends.gpu_choice(False, "paddle") is False and backends.gpu_choice(True, "paddle") is True


def test_auto_on_onnxruntime_follows_its_cuda_provider(monkeypatch):
    import onnxruntime

    monkeypatch.setattr(onnxruntime, "get_available_providers", lambda: ["CUDAExecutionProvider", "CPUExecutionProvider"])
    assert backends.gpu_choice("auto", "onnxruntime") is True
    monkeypatch.setattr(onnxruntime, "get_available_providers", lambda: ["CPUExecutionProvider"])
    assert backends.gpu_choice("auto", "onnxruntime") is False


def test_an_onnx_file_of_an_exported_folder_reads_as_the_folder(capsys):
    args = [f"--image_dir={WORDS}", "--cpu_threads=2", "--use_onnx=True"]
    predict_rec(args + [f"--rec_model_dir={SHIPPED}"])
    by_folder = _readings(capsys.readouterr().out)
    predict_rec(args + [f"--rec_model_dir={SHIPPED / 'inference.onnx'}"])
    by_file = _readings(capsys.readouterr().out)
    assert len(by_file) == 11 and by_file == by_folder


def test_an_onnx_file_alone_is_read_from_the_reference_flags(tmp_path, capsys):
    """The file in a folder of its own (no inference.yml): the flags of PaddleOCR's STAR-Net command
    describe it, and it reads what PaddleOCR's predict_rec reads from the same weights (its
    reference_output.json, one image a batch; words no wider than the graph's 100 pixels)."""
    alone, images = tmp_path / "model", tmp_path / "images"
    alone.mkdir()
    images.mkdir()
    shutil.copy(SHIPPED / "inference.onnx", alone / "model.onnx")
    for name in ("word_2.png", "word_336.png", "word_5.png", "word_7.png"):
        shutil.copy(WORDS / name, images / name)
    predict_rec([f"--image_dir={images}", f"--rec_model_dir={alone / 'model.onnx'}", "--use_onnx=True",
                 "--rec_batch_num=1", "--cpu_threads=2", *STARNET])
    out = capsys.readouterr().out
    texts = {name: reading.split("'")[1] for name, reading in _readings(out).items()}
    assert texts == {"word_2.png": "snapshots", "word_336.png": "tells", "word_5.png": "with", "word_7.png": "fix"}
    assert "a PaddleOCR inference folder, read from the flags" in out


def test_an_onnx_file_without_use_onnx_and_another_file_say_what_to_pass(tmp_path):
    with pytest.raises(UserError, match="is an ONNX graph, which runs on onnxruntime: .*--use_onnx True"):
        predict_rec([f"--image_dir={IMAGE}", f"--rec_model_dir={SHIPPED / 'inference.onnx'}"])
    with pytest.raises(UserError, match="is a file: pass the folder that holds it .* or an .onnx file"):
        predict_rec([f"--image_dir={IMAGE}", f"--rec_model_dir={SHIPPED / 'inference.yml'}"])
