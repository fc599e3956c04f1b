"""What a training run says and leaves at its end, through the real tools/train.py: a run that never
reached ``eval_batch_step`` still evaluates its last step and keeps ``best_accuracy``; the curves
are redrawn after the last step, not only at the last evaluation; a run in which no sample of the
first epoch could be used stops with one line naming the commonest reasons with an example label."""
import re

import pytest

from tests.helpers.e2e import read_log, run_tool
from tests.helpers.datasets import write_lmdb
from tests.helpers.tiny import CONFIG, make_data, tiny_opts, word_png

pytestmark = [pytest.mark.training_e2e, pytest.mark.subprocess_tools]


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return make_data(tmp_path_factory.mktemp("run_end"))


def test_a_run_shorter_than_eval_batch_step_still_evaluates_and_keeps_best_accuracy(data, tmp_path):
    save = tmp_path / "model"
    opts = tiny_opts(data, save, Global__epoch_num=1, Global__eval_batch_step="[0,500]", Global__cpu_replicas=1)
    out = run_tool("tools/train.py", "-c", CONFIG, "-o", *opts, timeout=600)
    text = out.stdout + out.stderr
    assert "no evaluation ran during training (Global.eval_batch_step: [0, 500]): evaluating the last step" in text
    evals = read_log(save, "eval")
    assert [r["global_step"] for r in evals] == [4]  # 16 samples in batches of 4: one evaluation, at the end
    assert (save / "best_accuracy.pdparams").is_file() and "training done: best {" in text


def test_the_curves_are_drawn_after_the_last_step(data, tmp_path):
    save = tmp_path / "model"
    # 4 steps, evaluated at step 3 only: step 4 is logged after the last evaluation
    opts = tiny_opts(data, save, Global__epoch_num=1, Global__eval_batch_step="[0,3]", Global__cpu_replicas=1)
    run_tool("tools/train.py", "-c", CONFIG, "-o", *opts, timeout=600)
    assert [r["global_step"] for r in read_log(save, "eval")] == [3]
    assert read_log(save, "train")[-1]["global_step"] == 4
    assert (save / "train_curves.png").stat().st_mtime_ns >= (save / "train_log.jsonl").stat().st_mtime_ns


def test_a_first_epoch_with_no_usable_sample_stops_naming_the_reasons(tmp_path):
    samples = [(f"a#{k}", word_png("ab")) for k in range(6)] + [("x" * 26, word_png("long")), ("ok", None)]
    lmdb = write_lmdb(tmp_path / "data" / "train", samples)
    save = tmp_path / "model"
    opts = tiny_opts(tmp_path / "data", save, Global__epoch_num=2, Train__dataset__data_dir=lmdb,
                     Eval__dataset__data_dir=lmdb, Train__loader__drop_last=False, Global__cpu_replicas=1)
    out = run_tool("tools/train.py", "-c", CONFIG, "-o", *opts, expect=2, timeout=600)
    errors = [line for line in out.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "Traceback" not in out.stderr, out.stderr[-2000:]
    assert re.match(r"error: no sample of epoch 1 could be trained on \(8 skipped: "
                    r"character outside the charset: 6 \(e\.g\. 'a#\d'\); ", errors[0]), errors[0]
    assert "label longer than max_text_length: 1 (e.g. 'xxxxxxxxxxxxxxxxxxxxxxxxxx')" in errors[0]
    assert "Global.character_dict_path" in errors[0]
