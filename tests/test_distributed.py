"""Two-process training with paddle.distributed.launch on the CPU (gloo): both ranks train on
their half of the data, rank 0 alone logs and writes files."""
import json
import re

from ppocr.synth import generate
from tests.e2e import run_tool


def test_two_process_launch_trains_on_both_ranks(tmp_path):
    generate(128, seed=11, lmdb_dir=str(tmp_path / "train"))
    generate(32, seed=12, lmdb_dir=str(tmp_path / "val"))
    save, logs = tmp_path / "model", tmp_path / "log"
    run_tool("-m", "paddle.distributed.launch", "--nproc_per_node", "2", "--log_dir", logs,
               "tools/train.py", "-c", "configs/rec/rec_mv3_tps_bilstm_ctc.yml", "-o",
               "Global.use_gpu=False", "Global.epoch_num=2", f"Global.save_model_dir={save}",
               "Global.print_batch_step=2", "Global.eval_batch_step=[0,4]",
               f"Train.dataset.data_dir={tmp_path / 'train'}", f"Eval.dataset.data_dir={tmp_path / 'val'}",
               "Train.loader.batch_size_per_card=16", "Train.loader.num_workers=0",
               "Eval.loader.batch_size_per_card=8", "Eval.loader.num_workers=0")
    rank0 = (logs / "workerlog.0").read_text()
    rank1 = (logs / "workerlog.1").read_text()
    # 128 samples / (2 ranks x 16) = 4 steps per epoch on each rank
    assert re.search(r"rank 0 of 2 finished: 8 steps this run, [1-9]\d* checkpoint files written", rank0), rank0[-3000:]
    assert "rank 1 of 2 finished: 8 steps this run, 0 checkpoint files written" in rank1, rank1[-3000:]
    assert "global_step: 8" in rank0 and "global_step:" not in rank1
    assert "config:" not in rank1
    states = json.loads((save / "latest.states").read_text())
    assert states["global_step"] == 8
    assert states["best_model_dict"]["samples"] == 32  # evaluation sharded, counts summed
