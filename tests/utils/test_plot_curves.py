"""Training curves: the PNG is written, decodes, has the figure's size; the trainer refreshes it at evaluation."""
import json
from pathlib import Path

import cv2

from ppocr.config import merge_config
from ppocr.synth import generate
from ppocr.utils.plot_curves import CURVES_NAME, plot_curves, read_log, refresh_curves

CONFIG = Path(__file__).resolve().parents[2] / "configs" / "rec" / "demo_mv3_tps_bilstm_ctc.yml"


def write_log(path, records, tail=""):
    path.write_text("".join(json.dumps(r) + "\n" for r in records) + tail, encoding="utf-8")


def train_record(step, loss, lr=1e-3):
    return {"kind": "train", "epoch": 1, "global_step": step, "lr": lr, "loss": loss, "acc": step / 100}


def test_png_is_written_and_decodes(tmp_path):
    log = tmp_path / "train_log.jsonl"
    write_log(log, [train_record(s, 20.0 - s / 10) for s in range(10, 101, 10)]
              + [{"kind": "eval", "global_step": 50, "acc": 0.4, "norm_edit_dis": 0.7},
                 {"kind": "eval", "global_step": 100, "acc": 0.8, "norm_edit_dis": 0.9}])
    out = plot_curves(str(log), size=(6.0, 5.0), dpi=100)
    assert out == str(tmp_path / CURVES_NAME)
    img = cv2.imread(out, flags=cv2.IMREAD_COLOR)
    assert img is not None and img.shape == (500, 600, 3)
    assert img.std() > 10  # something is drawn, not a blank canvas


def test_a_resumed_log_keeps_the_last_record_of_a_step_and_skips_a_cut_line(tmp_path):
    log = tmp_path / "train_log.jsonl"
    write_log(log, [train_record(10, 9.0), train_record(20, 8.0), train_record(10, 5.0)], tail='{"kind": "tr')
    runs = read_log(str(log))
    assert [(r["global_step"], r["loss"]) for r in runs["train"]] == [(10, 5.0), (20, 8.0)]
    assert runs["eval"] == []


def test_refresh_is_quiet_without_a_log_and_never_raises(tmp_path, caplog):
    assert refresh_curves(str(tmp_path)) is None
    (tmp_path / "train_log.jsonl").write_text("")
    assert refresh_curves(str(tmp_path)) is None  # no record yet: no picture, no error
    (tmp_path / "train_log.jsonl").write_text(json.dumps(train_record(1, 2.0)) + "\n")
    (tmp_path / CURVES_NAME).mkdir()  # a folder where the PNG should go: the write fails
    assert refresh_curves(str(tmp_path)) is None
    assert "could not draw the training curves" in caplog.text


def test_training_refreshes_the_curves_at_each_evaluation(tmp_path):
    from ppocr.training.trainer import Trainer

    generate(8, seed=31, lmdb_dir=str(tmp_path / "train"))
    generate(4, seed=32, lmdb_dir=str(tmp_path / "val"))
    save_dir = tmp_path / "out"
    opts = {"Global.use_gpu": False, "Global.save_model_dir": save_dir, "Global.epoch_num": 1,
            "Global.print_batch_step": 1, "Global.eval_batch_step": "[0,2]", "Global.pretrained_model": "",
            "Train.dataset.data_dir": tmp_path / "train", "Eval.dataset.data_dir": tmp_path / "val",
            "Train.loader.batch_size_per_card": 4, "Train.loader.num_workers": 0,
            "Eval.loader.batch_size_per_card": 4, "Eval.loader.num_workers": 0}
    config = merge_config(str(CONFIG), [f"{k}={v}" for k, v in opts.items()])
    Trainer(config).train()
    img = cv2.imread(str(save_dir / CURVES_NAME), flags=cv2.IMREAD_COLOR)
    assert img is not None and img.shape == (750, 800, 3)
    assert [r["global_step"] for r in read_log(str(save_dir / "train_log.jsonl"))["eval"]] == [2]
