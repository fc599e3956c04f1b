"""``predict_rec.py --use_onnx True`` runs inference.onnx and prints, for the bundled samples, the
strings Paddle inference reads; without the file it is a one-line error naming the fix."""
import pytest

from ppocr.inference.predictor import TextRecognizer
from tests.helpers.e2e import REPO, predict_rec_results, run_tool

pytestmark = [pytest.mark.subprocess_tools, pytest.mark.onnx_export]

SHIPPED = REPO / "pretrained" / "rec_mv3_tps_bilstm_ctc_synth" / "inference"


def test_use_onnx_prints_what_paddle_inference_reads(shipped_onnx):
    proc = run_tool("tools/infer/predict_rec.py", "--image_dir=./doc/imgs_words_en/", f"--rec_model_dir={shipped_onnx}",
                    "--rec_image_shape=3, 32, 100", "--rec_char_dict_path=./ppocr/utils/ic15_dict.txt",
                    "--use_onnx=True", "--benchmark=True", timeout=300)
    read = predict_rec_results(proc.stdout)
    paths = sorted(read)
    assert len(paths) >= 10 and "benchmark perf:" in proc.stdout
    expected = TextRecognizer(SHIPPED, backend="paddle", cpu_threads=2)([str(REPO / p) for p in paths])
    assert [read[p] for p in paths] == [text for text, _ in expected]


def test_use_onnx_without_the_file_is_one_line(shipped_paddle_only):
    proc = run_tool("tools/infer/predict_rec.py", "--image_dir=./doc/imgs_words_en/word_1.png",
                    f"--rec_model_dir={shipped_paddle_only}", "--use_onnx=True", expect=2)
    assert proc.stderr.strip().splitlines()[-1].startswith("error: backend 'onnxruntime' needs")
    assert "--onnx" in proc.stderr
