"""Export parity for every seed model: with deterministic non-trivial weights (compat's
fill_params), infer_rec (dygraph) and predict_rec (paddle.inference, oneDNN on) read the same
strings, whatever --rec_batch_num, and the exported graph holds no float64."""
import json

import paddle
import pytest

from ppocr import build_model, load_config
from ppocr.synth import generate
from tests.e2e import infer_rec_results, predict_rec_results, run_tool

CASES = {
    "rec_mv3_tps_bilstm_ctc": ["--rec_char_dict_path=./ppocr/utils/ic15_dict.txt"],
    "rec_r34_vd_tps_bilstm_ctc": ["--rec_char_dict_path=./ppocr/utils/ic15_dict.txt"],
    "rec_r32_gaspin_bilstm_att": ["--rec_algorithm=SPIN", "--rec_char_dict_path=./ppocr/utils/dict/spin_dict.txt",
                                  "--use_space_char=False"],
}


@pytest.fixture(scope="module")
def images(tmp_path_factory):
    root = tmp_path_factory.mktemp("parity_images")
    generate(8, seed=21, out_dir=str(root))
    return root / "images"


@pytest.mark.parametrize("stem", sorted(CASES))
def test_predict_rec_reads_what_infer_rec_reads(stem, images, tmp_path, fill_params, repo_root):
    config = f"configs/rec/{stem}.yml"
    model = build_model(load_config(str(repo_root / config)))
    fill_params.fill_layer(model)
    paddle.save(model.state_dict(), str(tmp_path / "filled.pdparams"))
    opts = ["-o", "Global.use_gpu=False", f"Global.pretrained_model={tmp_path / 'filled'}",
            f"Global.save_res_path={tmp_path / 'res.txt'}"]
    infer = infer_rec_results(run_tool("tools/infer_rec.py", "-c", config, *opts, f"Global.infer_img={images}").stdout)
    assert len(infer) == 8 and sum(map(bool, infer.values())) >= 4, infer  # mostly non-empty: a real comparison

    out = tmp_path / "inference"
    run_tool("tools/export_model.py", "-c", config, *opts, f"Global.save_inference_dir={out}")
    graph = (out / "inference.json").read_text() if (out / "inference.json").exists() else ""
    assert "float64" not in graph
    for batch in (1, 6):
        proc = run_tool("tools/infer/predict_rec.py", f"--image_dir={images}", f"--rec_model_dir={out}",
                        "--rec_image_shape=3, 32, 100", f"--rec_batch_num={batch}", "--enable_mkldnn=True", *CASES[stem])
        assert predict_rec_results(proc.stdout) == infer, f"rec_batch_num={batch}"
    info = json.dumps(load_config(str(out / "inference.yml")))
    assert "transform_ops" in info and "charset" in info
