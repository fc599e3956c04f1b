"""The training log line's timings (ppocr/training/step_log.py): per-step averages since the last
line, images per second, and the ETA as the reference prints it."""
import paddle

from ppocr.training import step_log
from ppocr.training.step_log import StepTimes, line_text


def test_the_log_window_averages_per_step():
    times = StepTimes()
    times.reader = 0.2
    times.add(0.5, 4)
    times.add(1.5, 2)
    assert times.summary() == {"avg_reader_cost": 0.1, "avg_batch_cost": 1.0, "avg_samples": 3.0, "ips": 3.0}
    times.new_window()
    assert times.summary()["avg_batch_cost"] == 0.0


def test_the_eta_is_the_run_average_step_time_the_steps_left_as_the_reference_prints_it():
    times = StepTimes()
    for seconds in (4.0, 2.0, 3.0):  # 3 s a step on average, the first (slow) step counted
        times.add(seconds, 8)
        times.new_window()  # a new log window keeps the run's average
    assert times.eta(steps_left=100) == "0:05:00"
    assert times.eta(steps_left=1) == "0:00:03"
    assert times.eta(steps_left=30000) == "1 day, 1:00:00"
    assert times.eta(steps_left=0) == "0:00:00" and StepTimes().eta(10) == "0:00:00"


def test_the_line_shows_the_reference_units():
    text = line_text({"global_step": 3, "loss": 1.5, "avg_batch_cost": 0.25, "ips": 64.0, "eta": "0:00:09",
                      "max_mem_reserved": 812})
    assert text == ("global_step: 3, loss: 1.500000, avg_batch_cost: 0.25 s, ips: 64.0 samples/s, eta: 0:00:09, "
                    "max_mem_reserved: 812 MB")


def test_gpu_memory_is_read_on_a_gpu_only(monkeypatch):
    assert step_log.device_memory() == {}  # this CPU
    monkeypatch.setattr(paddle.device, "is_compiled_with_cuda", lambda: True)
    monkeypatch.setattr(paddle, "get_device", lambda: "gpu:0")
    monkeypatch.setattr(paddle.device.cuda, "max_memory_reserved", lambda: 3 * 1024**3 + 5)
    monkeypatch.setattr(paddle.device.cuda, "max_memory_allocated", lambda: 1024**3 // 2)
    assert step_log.device_memory() == {"max_mem_reserved": 3072, "max_mem_allocated": 512}


def test_each_training_log_line_ends_with_the_eta_of_the_steps_left(tmp_path, repo_root, monkeypatch, capsys):
    from ppocr.cli.startup import setup
    from ppocr.training.trainer import Trainer
    from tests.helpers.tiny import CONFIG, make_data, tiny_opts, train_records

    original = StepTimes.add
    monkeypatch.setattr(StepTimes, "add", lambda self, batch_cost, samples: original(self, 1.5, samples))
    data = make_data(tmp_path / "data", train=8, val=4)
    opts = tiny_opts(data, str(tmp_path / "out"), Global__epoch_num=2, Global__eval_batch_step="[0,100]",
                     Global__cpu_replicas=1)  # 2 epochs of 2 steps, each "taking" 1.5 s
    Trainer(setup(["-c", str(repo_root / CONFIG), "-o", *opts], "eta")[0]).train()
    etas = {step: record["eta"] for step, record in train_records(tmp_path / "out").items()}
    assert etas == {1: "0:00:04", 2: "0:00:03", 3: "0:00:01", 4: "0:00:00"}  # 3, 2, 1, 0 steps left
    lines = [line for line in capsys.readouterr().out.splitlines() if "INFO: epoch: [" in line]
    assert len(lines) == 4 and lines[0].endswith("ips: 2.67 samples/s, eta: 0:00:04"), lines[0]
