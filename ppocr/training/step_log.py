"""What a training log line tells besides the loss: the times of the steps since the last line,
images per second, the ETA as the reference prints it (``eta: 0:12:34``: the average time of a
step of this run times the steps left) and, on a GPU, the peak memory (``max_mem_reserved`` /
``max_mem_allocated``, in MB, as the reference logs them).

Example::

    times = StepTimes()
    times.add(batch_cost=0.5, samples=64)          # after each step (reader time included)
    times.summary()                                 # {'avg_reader_cost': ..., 'ips': 128.0}
    times.eta(steps_left=1500)                      # '0:12:30'
"""
import datetime

import paddle

UNITS = {"avg_reader_cost": " s", "avg_batch_cost": " s", "ips": " samples/s", "max_mem_reserved": " MB",
         "max_mem_allocated": " MB"}


class StepTimes:
    """Reader and batch time and samples since the last log line (``window``), and the time of every
    step of this run (the ETA's average, as the reference's, which counts the first, slower steps)."""

    def __init__(self):
        self.run_seconds, self.run_steps = 0.0, 0
        self.new_window()

    def new_window(self):
        self.reader = self.batch = 0.0
        self.steps = self.samples = 0

    def add(self, batch_cost, samples):
        """One step took ``batch_cost`` seconds (its reading included) for ``samples`` samples."""
        self.batch += batch_cost
        self.steps += 1
        self.samples += samples
        self.run_seconds += batch_cost
        self.run_steps += 1

    def summary(self):
        steps = max(self.steps, 1)
        return {"avg_reader_cost": round(self.reader / steps, 5), "avg_batch_cost": round(self.batch / steps, 5),
                "avg_samples": round(self.samples / steps, 1), "ips": round(self.samples / max(self.batch, 1e-9), 2)}

    def eta(self, steps_left):
        """``H:MM:SS`` (``D days, H:MM:SS`` past a day) for ``steps_left`` steps at this run's average."""
        seconds = max(steps_left, 0) * self.run_seconds / max(self.run_steps, 1)
        return str(datetime.timedelta(seconds=int(seconds)))


def device_memory():
    """The GPU's peak reserved and allocated memory in MB ({} without CUDA)."""
    if not paddle.device.is_compiled_with_cuda() or not paddle.get_device().startswith("gpu"):
        return {}
    mb = 1024**2
    return {"max_mem_reserved": int(paddle.device.cuda.max_memory_reserved() // mb),
            "max_mem_allocated": int(paddle.device.cuda.max_memory_allocated() // mb)}


def line_text(record):
    """``key: value`` pairs of a log record, floats to 6 places, with the reference's units."""
    def shown(key, value):
        text = f"{value:.6f}" if isinstance(value, float) and key not in UNITS else f"{value}"
        return f"{key}: {text}{UNITS.get(key, '')}"

    return ", ".join(shown(key, value) for key, value in record.items())
