"""The training dashboards (ppocr/training/dashboards.py): a tiny run with Global.use_visualdl and a
wandb: section writes VisualDL's log (the same numbers as train_log.jsonl) and an offline W&B run
(no login here) with the scalars and the checkpoints; a dashboard never stops or hangs a run."""
import json
import sys
from pathlib import Path

import pytest

from ppocr.errors import UserError
from ppocr.training.dashboards import WandbDashboard, build_dashboards
from tests.helpers.tiny import CONFIG, make_data, tiny_opts


@pytest.fixture
def no_wandb_login(tmp_path, monkeypatch):
    """A machine without a W&B login (no key, no netrc, no settings), as this one and CI are."""
    for name in ("WANDB_API_KEY", "WANDB_MODE", "WANDB_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WANDB_CONFIG_DIR", str(tmp_path / "wandb_config"))
    monkeypatch.setenv("NETRC", str(tmp_path / "no_netrc"))
    monkeypatch.setenv("WANDB_SILENT", "true")


@pytest.mark.training_e2e
def test_a_run_writes_visualdl_and_offline_wandb_logs(tmp_path, repo_root, no_wandb_login, capsys):
    from visualdl import LogReader

    from ppocr.cli.startup import setup
    from ppocr.training.trainer import Trainer

    data = make_data(tmp_path / "data", train=8, val=4)
    save = tmp_path / "out"
    opts = tiny_opts(data, str(save), Global__epoch_num=1, Global__eval_batch_step="[0,2]", Global__cpu_replicas=1,
                     Global__use_visualdl=True)
    with_wandb = tmp_path / "with_wandb.yml"  # the reference's way: a wandb: section in the config
    with_wandb.write_text((repo_root / CONFIG).read_text() + "wandb:\n  project: ppocr-tests\n  name: tiny\n")
    config, _, _ = setup(["-c", str(with_wandb), "-o", *opts], "dashboards")
    Trainer(config).train()
    out = capsys.readouterr().out
    assert out.count("no W&B login (WANDB_API_KEY or wandb login): recording the run offline") == 1
    records = [json.loads(line) for line in (save / "train_log.jsonl").read_text().splitlines()]
    train = [r for r in records if r["kind"] == "train"]
    evals = [r for r in records if r["kind"] == "eval"]
    assert [r["global_step"] for r in train] == [1, 2] and [r["global_step"] for r in evals] == [2]
    assert (save / "train_curves.png").is_file()  # the curves stay

    logs = list((save / "vdl").glob("vdlrecords.*.log"))
    assert len(logs) == 1
    reader = LogReader(file_path=str(logs[0]))
    for tag in ("loss", "lr", "acc", "ips"):
        got = [(x.id, x.value) for x in reader.get_data("scalar", f"train/{tag}")]
        assert got == [(r["global_step"], pytest.approx(r[tag], rel=1e-6)) for r in train], tag
    assert [(x.id, x.value) for x in reader.get_data("scalar", "eval/acc")] == [(2, pytest.approx(evals[0]["acc"]))]

    runs = list((save / "wandb").glob("offline-run-*/run-*.wandb"))
    assert len(runs) == 1
    raw = runs[0].read_bytes()  # W&B's record file: its protobuf holds the names as plain bytes
    for name in (b"train/loss", b"train/lr", b"train/ips", b"eval/acc", b"eval/norm_edit_dis", b"ppocr-tests",
                 b"model_ckpt.pdparams", b"best_accuracy", b"latest", b"Architecture"):
        assert name in raw, name


def test_asking_for_a_dashboard_that_is_not_installed_is_one_line(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "visualdl", None)  # import visualdl raises ImportError
    with pytest.raises(UserError, match=r"Global.use_visualdl needs the visualdl package, which is not installed: "
                                        r"pip install visualdl .*or set Global.use_visualdl=False"):
        build_dashboards({"Global": {"use_visualdl": True}}, str(tmp_path))
    assert build_dashboards({"Global": {}}, str(tmp_path)).dashboards == []


def test_a_wandb_option_that_wandb_init_does_not_take_is_refused(tmp_path, no_wandb_login):
    with pytest.raises(UserError, match="wandb: section has option.s. projekt that wandb.init does not take"):
        build_dashboards({"Global": {}, "wandb": {"projekt": "x"}}, str(tmp_path))
    with pytest.raises(UserError, match="the wandb: section must be a mapping"):
        build_dashboards({"Global": {}, "wandb": "my-project"}, str(tmp_path))


@pytest.mark.training_e2e
def test_an_unreachable_wandb_server_makes_the_run_offline_not_a_hang(tmp_path, no_wandb_login, monkeypatch, caplog):
    """A login but no network (a cluster node): wandb.init gives up after its timeout (with its
    retries, about 20 s for 2 s here) and the run is recorded offline."""
    monkeypatch.setenv("WANDB_API_KEY", "a" * 40)
    monkeypatch.setenv("WANDB_BASE_URL", "http://127.0.0.1:9")  # nothing listens on the discard port
    monkeypatch.setattr(WandbDashboard, "INIT_TIMEOUT", 2)
    dashboard = WandbDashboard({"project": "p"}, str(tmp_path), {"Global": {}})
    try:
        assert dashboard.run.settings.mode == "offline" or dashboard.run.offline
        dashboard.log({"kind": "train", "global_step": 1, "loss": 2.5, "eta": "0:00:01"})
    finally:
        dashboard.close()
    assert "W&B did not answer" in caplog.text and "recording this run offline" in caplog.text
    assert list(Path(tmp_path, "wandb").glob("offline-run-*/run-*.wandb"))
