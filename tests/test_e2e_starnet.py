"""STAR-Net end to end with the real tools: train on a generated LMDB (the loss falls), evaluate,
infer, export, and predict with paddle.inference (oneDNN on) giving infer_rec's strings."""
import json

import pytest

from ppocr.synth import generate
from tests.helpers.e2e import infer_rec_results, predict_rec_results, read_log, run_tool

pytestmark = [pytest.mark.training_e2e, pytest.mark.subprocess_tools]

CONFIG = "configs/rec/rec_mv3_tps_bilstm_ctc.yml"


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("starnet")
    # two LMDBs in nested folders plus a stray folder, as data_lmdb_release/training/ is laid out
    generate(160, seed=1, lmdb_dir=str(root / "train" / "MJ" / "part1"))
    generate(160, seed=2, lmdb_dir=str(root / "train" / "ST"))
    (root / "train" / "notes").mkdir()
    generate(48, seed=3, lmdb_dir=str(root / "val"))
    generate(12, seed=4, out_dir=str(root / "images"))
    save = root / "model"
    opts = [f"Global.save_model_dir={save}", "Global.use_gpu=False", "Global.epoch_num=3",
            "Global.print_batch_step=5", "Global.eval_batch_step=[0,20]", "Global.save_epoch_step=2",
            f"Train.dataset.data_dir={root / 'train'}", f"Eval.dataset.data_dir={root / 'val'}",
            "Train.loader.batch_size_per_card=16", "Train.loader.num_workers=2",
            "Eval.loader.batch_size_per_card=16", "Eval.loader.num_workers=0", "Optimizer.lr.learning_rate=0.001",
            f"Global.save_res_path={root / 'predicts.txt'}"]
    proc = run_tool("tools/train.py", "-c", CONFIG, "-o", *opts)
    return {"root": root, "save": save, "opts": opts, "train_stdout": proc.stdout + proc.stderr}


def test_training_writes_checkpoints_and_the_loss_falls(trained):
    save = trained["save"]
    for name in ("latest", "best_accuracy", "iter_epoch_2"):
        for suffix in (".pdparams", ".pdopt", ".states"):
            assert (save / (name + suffix)).is_file(), name + suffix
    assert (save / "config.yml").is_file()
    states = json.loads((save / "latest.states").read_text())
    assert states["global_step"] == 60 and states["epoch"] == 4
    losses = [r["loss"] for r in read_log(save, "train")]
    assert len(losses) == 12
    assert sum(losses[-3:]) / 3 < 0.7 * losses[0], losses
    out = trained["train_stdout"]
    for word in ("global_step: 60", "lr:", "loss:", "acc:", "norm_edit_dis:", "avg_reader_cost:",
                 "avg_batch_cost:", "ips:", "best metric"):
        assert word in out, word


def test_eval_scores_every_sample(trained):
    proc = run_tool("tools/eval.py", "-c", CONFIG, "-o", *trained["opts"],
                    f"Global.pretrained_model={trained['save'] / 'best_accuracy'}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["samples"] == 48 and result["unusable"] == 0
    assert 0.0 <= result["acc"] <= 1.0 and 0.0 <= result["norm_edit_dis"] <= 1.0
    best = json.loads((trained["save"] / "best_accuracy.states").read_text())["best_model_dict"]
    assert result["acc"] == pytest.approx(best["acc"])


def test_export_and_predict_rec_match_infer_rec(trained):
    root, save = trained["root"], trained["save"]
    weights = f"Global.pretrained_model={save / 'best_accuracy'}"
    proc = run_tool("tools/infer_rec.py", "-c", CONFIG, "-o", *trained["opts"], weights,
                    f"Global.infer_img={root / 'images' / 'images'}")
    infer = infer_rec_results(proc.stdout)
    assert len(infer) == 12
    saved = (root / "predicts.txt").read_text().splitlines()
    assert len(saved) == 12 and all(line.count("\t") == 2 for line in saved)

    inference_dir = root / "inference"
    run_tool("tools/export_model.py", "-c", CONFIG, "-o", *trained["opts"], weights,
             f"Global.save_inference_dir={inference_dir}")
    assert (inference_dir / "inference.pdiparams").is_file() and (inference_dir / "inference.yml").is_file()
    assert (inference_dir / "inference.json").is_file() or (inference_dir / "inference.pdmodel").is_file()
    for batch in (1, 6):
        proc = run_tool("tools/infer/predict_rec.py", f"--image_dir={root / 'images' / 'images'}",
                        f"--rec_model_dir={inference_dir}", "--rec_image_shape=3, 32, 100",
                        "--rec_char_dict_path=./ppocr/utils/ic15_dict.txt", f"--rec_batch_num={batch}",
                        "--enable_mkldnn=True")
        predicted = predict_rec_results(proc.stdout)
        assert predicted == infer, f"rec_batch_num={batch}"
