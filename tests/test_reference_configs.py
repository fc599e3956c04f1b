"""The reference release's configs (compat/configs) load unchanged and train: only data paths
(and, to keep the test short, sizes) are overridden with -o."""
import json

import pytest

from ppocr.synth import generate
from tests.helpers.e2e import run_tool

pytestmark = [pytest.mark.training_e2e, pytest.mark.subprocess_tools]

STEMS = ["rec_mv3_tps_bilstm_ctc", "rec_r34_vd_tps_bilstm_ctc", "rec_r32_gaspin_bilstm_att"]


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    root = tmp_path_factory.mktemp("refdata")
    generate(8, seed=41, lmdb_dir=str(root / "lmdb_train"))
    generate(4, seed=42, lmdb_dir=str(root / "lmdb_val"))
    generate(8, seed=41, out_dir=str(root / "simple"), label_file=str(root / "simple" / "train.txt"))
    generate(4, seed=42, out_dir=str(root / "simple_val"), label_file=str(root / "simple_val" / "test.txt"))
    return root


@pytest.mark.parametrize("stem", STEMS)
def test_reference_config_trains_unchanged(stem, data, compat_dir, tmp_path):
    if "gaspin" in stem:
        paths = [f"Train.dataset.data_dir={data / 'simple'}", f"Train.dataset.label_file_list=[{data / 'simple' / 'train.txt'}]",
                 f"Eval.dataset.data_dir={data / 'simple_val'}",
                 f"Eval.dataset.label_file_list=[{data / 'simple_val' / 'test.txt'}]"]
    else:
        paths = [f"Train.dataset.data_dir={data / 'lmdb_train'}", f"Eval.dataset.data_dir={data / 'lmdb_val'}"]
    run_tool("tools/train.py", "-c", compat_dir / "configs" / f"{stem}.yml", "-o", *paths,
             f"Global.save_model_dir={tmp_path}", "Global.epoch_num=1", "Global.eval_batch_step=[0,2]",
             "Train.loader.batch_size_per_card=4", "Train.loader.num_workers=0",
             "Eval.loader.batch_size_per_card=4", "Eval.loader.num_workers=0")
    states = json.loads((tmp_path / "latest.states").read_text())
    assert states["global_step"] == 2
    assert states["best_model_dict"]["samples"] == 4
