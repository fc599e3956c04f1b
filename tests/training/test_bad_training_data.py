"""Unusable samples through the real tools/train.py: in training each is skipped, never replaced,
counted by reason, reported at every log step and at the end (across a stop and a resume); in
evaluation every sample is scored and the unusable ones are counted.

The training LMDB, read in order in batches of 4 (5 batches an epoch):
    batch 1: 4 good    batch 2: 4 unusable (an all-dropped batch: no step)
    batch 3: 3 good + a character outside the charset    batch 4: 4 good    batch 5: 1 good + no image
"""
import pytest

from tests.helpers.e2e import read_log, run_tool
from tests.helpers.datasets import write_lmdb
from tests.helpers.tiny import CONFIG, resumed_line, tiny_opts, word_png

pytestmark = [pytest.mark.training_e2e, pytest.mark.subprocess_tools]

GOOD = ["cat", "dog", "sun", "red", "tree", "blue", "cold", "warm", "fish", "bird", "rain", "snow"]
UNUSABLE = [("zero", b"not an image at all"), ("size", b""), ("", None), ("x" * 26, None)]
PER_EPOCH = {"undecodable image": 3, "empty label": 1, "label longer than max_text_length": 1,
             "character outside the charset": 1}


@pytest.fixture(scope="module")
def bad_lmdb(tmp_path_factory):
    good = [(text, word_png(text)) for text in GOOD]
    unusable = [(label, image if image is not None else word_png("ok")) for label, image in UNUSABLE]
    samples = good[:4] + unusable + good[4:7] + [("a#b", word_png("ab"))] + good[7:11] + [good[11], ("gone", None)]
    return write_lmdb(tmp_path_factory.mktemp("bad") / "lmdb", samples)


@pytest.fixture(scope="module")
def runs(bad_lmdb, tmp_path_factory):
    save = tmp_path_factory.mktemp("bad_model")
    opts = tiny_opts(bad_lmdb.parent, save, Global__epoch_num=2, Global__eval_batch_step="[0,4]",
                     Train__dataset__data_dir=bad_lmdb, Eval__dataset__data_dir=bad_lmdb,
                     Train__loader__shuffle=False, Train__loader__drop_last=False,
                     Optimizer__lr__name="Const", Optimizer__lr__warmup_epoch=0, Optimizer__lr__learning_rate=0.0005)
    # stopped as a job scheduler would (SIGTERM) during step 6, the second of epoch 2 (after the empty batch)
    first = run_tool("tests/helpers/fault.py", "train_step:6:SIGTERM", "tools/train.py", "-c", CONFIG, "-o", *opts, expect=143)
    second = run_tool("tools/train.py", "-c", CONFIG, "-o", *opts, f"Global.checkpoints={save / 'latest'}",
                      "Optimizer.lr.learning_rate=0.0002")
    return {"save": save, "first": first.stdout + first.stderr, "second": second.stdout + second.stderr}


def test_skipped_samples_are_counted_by_reason_at_each_log_step(runs):
    records = read_log(runs["save"], "train")
    first_epoch = [r for r in records if r["epoch"] == 1]
    assert [r["global_step"] for r in first_epoch] == [1, 2, 3, 4]  # 5 batches, the all-unusable one no step
    # never replaced: the steps of an epoch saw exactly the 12 good samples
    assert sum(r["avg_samples"] for r in first_epoch) == len(GOOD)
    assert "skipped" not in first_epoch[0]
    assert first_epoch[1]["skipped"] == {**PER_EPOCH, "undecodable image": 2}  # batches 2 and 3
    assert first_epoch[-1]["skipped"] == PER_EPOCH
    assert "skipped: {" in runs["first"]


def test_stop_and_resume_neither_lose_nor_recount_a_skip(runs):
    assert "stopped: received SIGTERM: saved" in runs["first"] and "Traceback" not in runs["first"]
    epoch, batch, step, _, _ = resumed_line(runs["second"])
    assert (epoch, batch, step) == (2, 3, 6)  # 3 batches taken in epoch 2, one of them without a step
    total = {reason: 2 * n for reason, n in PER_EPOCH.items()}
    assert f"skipped samples: {total}" in runs["second"]
    assert read_log(runs["save"], "train")[-1]["global_step"] == 8


def test_a_rate_changed_on_resume_is_applied_and_logged(runs):
    assert "learning-rate schedule changed in the config since the checkpoint" in runs["second"]
    resumed = [r for r in read_log(runs["save"], "train") if r["global_step"] > 6]
    assert resumed and all(r["lr"] == 0.0002 for r in resumed)


def test_evaluation_scores_every_sample_and_counts_the_unusable(runs):
    evals = read_log(runs["save"], "eval")
    assert evals and all(r["samples"] == 18 for r in evals)
    assert all(r["unusable"] == PER_EPOCH["undecodable image"] for r in evals)  # images that cannot be read
    assert "unusable: 3" in runs["first"]


def test_a_large_share_skipped_is_warned_once_with_examples(runs):
    # 6 of the 18 samples of an epoch are unusable: a third, more than the 10 % that is warned of
    warnings = [line for line in runs["first"].splitlines() if "training samples seen so far were skipped" in line]
    assert len(warnings) == 1, runs["first"][-3000:]
    assert "more than 10%" in warnings[0] and "the model trains on the rest only" in warnings[0]
    assert "undecodable image: 2 (e.g. 'zero')" in warnings[0]  # at step 2, after batches 1 and 2
