"""tools/eval.py on a folder of two LMDB sets with reference-filled STAR-Net weights: the table is
printed and written beside the weights, --save_failures writes a TSV and PNG contact sheets, and
two processes give the same table and the same failures as one."""
import json

import cv2
import paddle
import pytest

from ppocr.config import load_config
from ppocr.synth import generate
from ppocr.trained_model.from_config import build_charset, build_model
from tests.helpers.e2e import run_tool

CONFIG = "configs/rec/rec_mv3_tps_bilstm_ctc.yml"
SIZES = {"IIIT5k_tiny": 14, "SVT_tiny": 9}


@pytest.fixture(scope="module")
def setup(tmp_path_factory, fill_params, repo_root):
    root = tmp_path_factory.mktemp("evaltool")
    generate(SIZES["IIIT5k_tiny"], seed=21, lmdb_dir=str(root / "evaluation" / "IIIT5k_tiny"))
    generate(SIZES["SVT_tiny"], seed=22, lmdb_dir=str(root / "evaluation" / "SVT_tiny"), case="mixed")
    config = load_config(str(repo_root / CONFIG))
    model = build_model(config, build_charset(config))
    fill_params.fill_layer(model)
    paddle.save(model.state_dict(), str(root / "model" / "filled.pdparams"))
    opts = ["Global.use_gpu=False", f"Global.pretrained_model={root / 'model' / 'filled'}",
            f"Eval.dataset.data_dir={root / 'evaluation'}", "Eval.loader.num_workers=0",
            "Eval.loader.batch_size_per_card=4"]
    return root, opts


@pytest.mark.subprocess_tools
def test_eval_writes_the_table_and_failures(setup):
    root, opts = setup
    proc = run_tool("tools/eval.py", "-c", CONFIG, "-o", *opts, "--save_failures")
    total = json.loads(proc.stdout.strip().splitlines()[-1])
    assert total["samples"] == sum(SIZES.values()) and total["unusable"] == 0
    table = json.loads((root / "model" / "filled.eval.json").read_text())
    assert {s["name"]: s["samples"] for s in table["sets"]} == SIZES
    assert table["total_sample_weighted"] == total and table["protocol"] == "alnum36"
    assert table["mean_of_sets"]["sets"] == 2
    markdown = (root / "model" / "filled.eval.md").read_text()
    for row in ("| IIIT5k_tiny | 14 |", "| SVT_tiny | 9 |", "| **total (sample-weighted)** | 23 |",
                "| **mean of 2 sets (unweighted)** |"):
        assert row in markdown and row in proc.stdout, row

    failures = root / "model" / "filled.failures"
    lines = (failures / "failures.tsv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 + total["samples"] - total["correct"]
    per_set = {name: sum(line.startswith(name + "\t") for line in lines) for name in SIZES}
    for s in table["sets"]:
        assert per_set[s["name"]] == s["samples"] - s["correct"]
        if per_set[s["name"]]:
            sheet = cv2.imread(str(failures / f"{s['name']}.png"))
            assert sheet is not None and sheet.ndim == 3 and sheet.shape[0] >= 100


@pytest.mark.distributed
@pytest.mark.subprocess_tools
def test_two_processes_give_the_same_table_and_failures(setup, tmp_path):
    root, opts = setup
    single = tmp_path / "one"
    run_tool("tools/eval.py", "-c", CONFIG, "-o", *opts, "--save_failures", single)
    one = json.loads((root / "model" / "filled.eval.json").read_text())
    run_tool("-m", "paddle.distributed.launch", "--nproc_per_node", "2", "--log_dir", tmp_path / "log",
             "tools/eval.py", "-c", CONFIG, "-o", *opts, "--save_failures", tmp_path / "two")
    two = json.loads((root / "model" / "filled.eval.json").read_text())
    assert two == one
    assert (tmp_path / "two" / "failures.tsv").read_text() == (single / "failures.tsv").read_text()


@pytest.mark.subprocess_tools
def test_save_table_writes_where_asked_and_not_beside_the_weights(setup, tmp_path):
    root, opts = setup
    for path in (root / "model").glob("filled.eval.*"):
        path.unlink()
    run_tool("tools/eval.py", "-c", CONFIG, "-o", *opts, "--save_table", tmp_path / "tables" / "shipped")
    table = json.loads((tmp_path / "tables" / "shipped.json").read_text())
    assert table["total_sample_weighted"]["samples"] == sum(SIZES.values())
    assert (tmp_path / "tables" / "shipped.md").is_file()
    assert not list((root / "model").glob("filled.eval.*"))
