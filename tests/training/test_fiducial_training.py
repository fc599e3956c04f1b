"""Training the TPS on the generator's control points, with the real tools: tools/gen_synth_data.py
writes them, tools/train.py with ``Loss.fiducial_weight`` logs their loss and it falls."""
import pytest

from tests.helpers.e2e import read_log, run_tool

pytestmark = [pytest.mark.training_e2e, pytest.mark.subprocess_tools]

CONFIG = "configs/rec/pretrain_mv3_tps_bilstm_ctc.yml"


def test_the_tps_learns_where_the_generated_words_lie(tmp_path):
    data = tmp_path / "synth"
    run_tool("tools/gen_synth_data.py", "--num", "96", "--seed", "5", "--lmdb", str(data))
    save = tmp_path / "model"
    run_tool("tools/train.py", "-c", CONFIG, "-o", f"Global.save_model_dir={save}", "Global.epoch_num=6",
             "Global.print_batch_step=1", "Global.eval_batch_step=[0,1000]", f"Train.dataset.data_dir={data}",
             f"Eval.dataset.data_dir={data}", "Train.loader.batch_size_per_card=16", "Train.loader.num_workers=0",
             "Optimizer.lr.learning_rate=0.005", "Architecture.Transform.loc_lr=1.0", "Loss.fiducial_weight=20",
             "Global.cpu_replicas=1")
    fiducial = [r["fiducial_loss"] for r in read_log(save, "train")]
    assert len(fiducial) == 36  # a line a step
    # from RARE's starting points (a slanted box) towards each word's own edges: here 0.24 -> 0.09
    assert sum(fiducial[-6:]) / 6 < 0.6 * sum(fiducial[:3]) / 3, fiducial
