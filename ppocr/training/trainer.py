"""The training loop: the same for every algorithm (the model takes images and the batch targets)."""
import collections
import json
import logging
import os
import signal
import time

import paddle
import paddle.distributed as dist
import paddle.nn.functional as F

from ppocr.config import dump_config
from ppocr.data import build_dataloader, end_loader_workers
from ppocr.errors import Interrupted
from ppocr.evaluation.evaluator import evaluate
from ppocr.global_settings import GlobalSettings
from ppocr.losses import build_loss
from ppocr.losses.ctc_loss import fiducial_loss
from ppocr.metrics import build_metric
from ppocr.optimizer import build_optimizer
from ppocr.postprocess import build_postprocess
from ppocr.trained_model.checkpoint import load_checkpoint, load_weights, save_checkpoint
from ppocr.trained_model.from_config import build_charset, build_model
from ppocr.training.amp import build_mixed_precision
from ppocr.training.dashboards import Dashboards, build_dashboards
from ppocr.training.resume import (
    apply_schedule,
    best_so_far,
    restore_states,
    schedule_changed,
    schedule_of,
)
from ppocr.training.skips import SkipReport
from ppocr.training.step_log import StepTimes, device_memory, line_text
from ppocr.training.stop import StopRequested, StopSignals
from ppocr.training.sync_bn import sync_batch_norm
from ppocr.training.train_step import build_train_step
from ppocr.utils.cpu import available_cores, default_cpu_threads
from ppocr.utils.plot_curves import refresh_curves
from ppocr.utils.progress import ProgressBar, logging_above_bars

logger = logging.getLogger("ppocr")


class Trainer:
    """Everything one training run needs, built from a merged config (and its ``GlobalSettings``,
    when the caller has them: the command line parses them once).

    Example::

        cfg = merge_config("configs/rec/rec_mv3_tps_bilstm_ctc.yml", ["Global.epoch_num=1"])
        Trainer(cfg).train()
    """

    def __init__(self, config, settings=None):
        self.config = config
        self.settings = g = settings or GlobalSettings.of(config)
        self.save_dir = g.save_model_dir
        self.rank, self.world = dist.get_rank(), dist.get_world_size()
        self.seed = g.seed
        paddle.seed(self.seed + self.rank)
        self.charset = build_charset(config, g)
        device = paddle.get_device()
        self.model = sync_batch_norm(build_model(config, self.charset), g.use_sync_bn, device, self.world)
        self.train_loader = build_dataloader(config, "Train", self.charset, seed=self.seed)
        self.eval_loader = build_dataloader(config, "Eval", self.charset) if config.get("Eval") else None
        self.loss_fn = build_loss(config, self.charset)
        self.postprocess = build_postprocess(config, self.charset)
        self.metric = build_metric(config)
        self.epoch_num = g.epoch_num
        self.optimizer, self.lr = build_optimizer(
            config["Optimizer"], self.epoch_num, len(self.train_loader), self.model
        )
        self.amp = build_mixed_precision(g, device)  # None: float32 (use_amp off, or a CPU: one notice)
        if self.amp is not None:  # before the weights load, as the reference: O2's master weights come back too
            self.model, self.optimizer = self.amp.decorate(self.model, self.optimizer)
        # step_in_epoch counts batches taken from the sampler (trained on or all unusable): where it restarts
        self.states = {"epoch": 1, "step_in_epoch": 0, "global_step": 0, "best_model_dict": {}, "skipped": {}}
        skip = g.skip_mismatched_tensors
        if g.checkpoints:
            self._resume(g.checkpoints, skip)
        elif g.pretrained_model:
            load_weights(self.model, g.pretrained_model, skip_mismatched=skip)
        replicas = self._replica_count(g.cpu_replicas)
        # chosen once: the model itself, DataParallel over the processes, or CPU replicas (train_step.py)
        self.train_step = build_train_step(self.model, self.optimizer, self.lr, self.loss_fn, world=self.world,
                                           replicas=replicas, amp=self.amp, threads_after=default_cpu_threads(),
                                           find_unused_parameters=g.find_unused_parameters)
        self.dashboards = Dashboards([])  # the run's, opened when training starts (rank 0)
        if replicas > 1:
            logger.info("training on the CPU with %d model replicas, one per core, each on its slice of the batch "
                        "(Global.cpu_replicas; 1 turns this off)", replicas)

    def _replica_count(self, value):
        """Model replicas for this process: ``auto`` = one per compute thread (at most one per core) when
        one process trains on the CPU (ppocr/training/replicas.py), else 1."""
        on_cpu = paddle.get_device().startswith("cpu")
        if value == "auto":
            return min(default_cpu_threads(), available_cores()) if on_cpu and self.world == 1 else 1
        if int(value) > 1 and not (on_cpu and self.world == 1):
            logger.warning("Global.cpu_replicas=%s applies to one process training on the CPU: ignored", value)
            return 1
        return int(value)

    def _resume(self, prefix, skip):
        saved = load_checkpoint(prefix, self.model, self.optimizer, skip_mismatched=skip)
        self.states = restore_states(saved, self.states)
        if self.amp is not None:  # the loss scale and its counters, where the interrupted run left them
            self.amp.load_state_dict(saved.get("amp_scaler"))
        self.states["best_model_dict"] = best_so_far(self.states["best_model_dict"], self.save_dir,
                                                     self.metric.main_indicator)
        changed = schedule_changed(saved, self._schedule())
        apply_schedule(self.lr, self.states["global_step"], changed)
        if changed:
            logger.info("learning-rate schedule changed in the config since the checkpoint (%s -> %s): applied",
                        saved.get("lr_schedule", saved.get("config_lr")), self._schedule())
        logger.info("resumed from %s at epoch %d (batch %d of the epoch), global step %d, learning rate %r, best %s",
                    prefix, self.states["epoch"], self.states["step_in_epoch"], self.states["global_step"],
                    self.optimizer.get_lr(), self.states["best_model_dict"] or "none")

    def _schedule(self):
        return schedule_of(self.config, len(self.train_loader), self.epoch_num)

    # ---- the loop ---------------------------------------------------------------------
    def train(self):
        """Train to ``Global.epoch_num``; returns the states. SIGINT/SIGTERM: saves ``latest`` and
        raises ``Interrupted`` (tools exit with 128 + the signal number). The step's threads, if
        any, are ended however training ends."""
        g = self.settings
        if self.rank == 0:
            os.makedirs(self.save_dir, exist_ok=True)
            dump_config(self.config, os.path.join(self.save_dir, "config.yml"))
            self.dashboards = build_dashboards(self.config, self.save_dir, g)
        self.print_step = g.print_batch_step
        self.eval_start, self.eval_every = g.eval_schedule
        if g.eval_batch_epoch:  # as the reference: from the start, every that many epochs' steps
            self.eval_start, self.eval_every = 0, g.eval_batch_epoch * len(self.train_loader)
        self.times = StepTimes()
        self.smooth = collections.deque(maxlen=g.log_smooth_window)
        self.states["skipped"] = collections.Counter(self.states.get("skipped") or {})  # whole run, across resumes
        self.steps_run = self.files_written = self.evaluations = 0
        self.skips = SkipReport(warn=self.rank == 0)
        self._last_save = (None, None)  # (global step, prefix) of the last checkpoint written
        self.train_step.net.train()
        with StopSignals() as stop, logging_above_bars():
            try:
                self._train_epochs(stop, g.save_epoch_step)
                if self.eval_loader is not None and not self.evaluations:
                    # a run shorter than eval_batch_step still leaves best_accuracy to evaluate and export
                    logger.info("no evaluation ran during training (Global.eval_batch_step: %s): evaluating the "
                                "last step", list(g.eval_schedule))
                    self._evaluate_and_save()
            except BaseException as e:
                end_loader_workers()  # left mid-epoch, with its workers still waiting for batches
                if not isinstance(e, StopRequested):
                    raise
                self._stop(e.args[0])
            finally:
                self.dashboards.close()
        if self.rank == 0:
            refresh_curves(self.save_dir)  # to the last step, not the last evaluation
            logger.info("training done: best %s; skipped samples: %s", self.states["best_model_dict"] or "none",
                        dict(self.states["skipped"]) or "none")
        logger.info("rank %d of %d finished: %d steps this run, %d checkpoint files written", self.rank, self.world,
                    self.steps_run, self.files_written, extra={"all_ranks": True})
        return self.states

    def _train_epochs(self, stop, save_epoch_step):
        steps_per_epoch = len(self.train_loader)
        for epoch in range(self.states["epoch"], self.epoch_num + 1):
            self.states["epoch"] = epoch
            sampler = self.train_loader.batch_sampler
            sampler.set_epoch(epoch)
            sampler.set_start(self.states["step_in_epoch"])
            bar = ProgressBar(total=steps_per_epoch, initial=self.states["step_in_epoch"], desc=f"epoch {epoch}",
                       disable=True if self.rank != 0 else None, leave=False, dynamic_ncols=True)
            self.times.new_window()
            reader_start = time.perf_counter()
            for batch in self.train_loader:
                self.times.reader += time.perf_counter() - reader_start
                # checked before the batch counts as taken, so a resumed run starts with this batch
                stop_now, any_empty = self._agree(bool(stop), len(batch["text"]) == 0)
                if stop_now:
                    raise StopRequested(stop[0] if stop else signal.SIGTERM)
                self.states["step_in_epoch"] += 1
                self.states["skipped"].update(batch.get("skipped") or {})
                self.skips.add_batch(batch, trained=not any_empty)
                bar.update(1)
                if any_empty:  # every process skips the step together, or gradient all-reduce would hang
                    if batch["text"]:
                        self.states["skipped"]["usable, dropped with another process's unusable batch"] += len(batch["text"])
                else:
                    self._train_batch(batch, reader_start, steps_per_epoch)
                reader_start = time.perf_counter()
            bar.close()
            self.skips.end_epoch(epoch)  # no step in the whole epoch: stops with the reasons
            self.states["step_in_epoch"] = 0
            self.states["epoch"] = epoch + 1
            self._save("latest")
            if epoch % save_epoch_step == 0:
                self._save(f"iter_epoch_{epoch}")

    def _train_batch(self, batch, reader_start, steps_per_epoch):
        loss, preds = self.train_step.step(batch)
        self.smooth.append(loss.detach())  # read at log steps only: no device sync every step
        self.states["global_step"] += 1
        self.steps_run += 1
        self.times.add(time.perf_counter() - reader_start, len(batch["text"]))
        step = self.states["global_step"]
        if self.rank == 0 and step % self.print_step == 0:
            self._log_train(batch, preds, self.smooth, steps_per_epoch)
            self.times.new_window()
            self.skips.warn_if_many()
        if step > self.eval_start and (step - self.eval_start) % self.eval_every == 0:
            self._evaluate_and_save()

    def _agree(self, stop, empty):
        """(stop, skip this step) agreed by all processes: they must take the same path through a
        step, or the gradient all-reduce of the others waits forever. One process: as given."""
        if self.world == 1:
            return stop, empty
        flags = paddle.to_tensor([int(stop), int(empty)], dtype="int32")
        dist.all_reduce(flags, op=dist.ReduceOp.MAX)
        stop, empty = (bool(v) for v in flags.numpy().tolist())
        return stop, empty

    def _stop(self, signum):
        self._save("latest")
        if self.world > 1:
            dist.barrier()  # the others wait for rank 0's checkpoint before they exit
        latest = os.path.join(self.save_dir, "latest")
        raise Interrupted(f"received {signal.Signals(signum).name}: saved {latest} at epoch {self.states['epoch']}, "
                          f"global step {self.states['global_step']}; resume with -o Global.checkpoints={latest}",
                          signum)

    def _log_train(self, batch, preds, smooth, steps_per_epoch):
        record = {"epoch": self.states["epoch"], "global_step": self.states["global_step"],
                  "lr": self.optimizer.get_lr(), "loss": sum(float(v) for v in smooth) / len(smooth)}
        if isinstance(preds, dict) and "fiducials" in preds:  # how far the TPS's points are from the generator's
            record["fiducial_loss"] = float(fiducial_loss(preds["fiducials"].detach(), batch["fiducials"],
                                                          batch["fiducial_mask"]))
            preds = preds["head"]
        g = self.settings
        if g.cal_metric_during_train and self.states["epoch"] % g.calc_epoch_interval == 0:
            probs = F.softmax(preds, axis=-1) if isinstance(preds, paddle.Tensor) else preds
            labels = [self.charset.normalise(t) for t in batch["text"]]
            record.update(self.metric.update(self.postprocess(probs), labels))
            record.pop("samples", None)
            self.metric.reset()
        record.update(self.times.summary())
        steps_left = (self.epoch_num - self.states["epoch"] + 1) * steps_per_epoch - self.states["step_in_epoch"]
        record["eta"] = self.times.eta(steps_left)
        record.update(device_memory() if g.print_mem_info else {})
        if self.states["skipped"]:
            record["skipped"] = dict(self.states["skipped"])
        logger.info("epoch: [%d/%d], %s", self.states["epoch"], self.epoch_num, line_text(record).split(", ", 1)[1])
        self._append_log({"kind": "train", **record})

    def _evaluate_and_save(self):
        if self.eval_loader is None:
            return
        result = evaluate(self.train_step.eval_net, self.eval_loader, self.postprocess, self.metric, self.charset)
        self.evaluations += 1
        key = self.metric.main_indicator
        best = self.states["best_model_dict"]
        improved = not best or result[key] > best.get(key, float("-inf"))
        if improved:
            self.states["best_model_dict"] = {**result, "best_epoch": self.states["epoch"],
                                              "global_step": self.states["global_step"]}
            self._save("best_accuracy")
        self._save("latest")
        if self.rank == 0:
            logger.info("cur metric, %s", ", ".join(f"{k}: {v}" for k, v in result.items()))
            logger.info("best metric, %s", ", ".join(f"{k}: {v}" for k, v in self.states["best_model_dict"].items()))
            self._append_log({"kind": "eval", "global_step": self.states["global_step"], **result})
            refresh_curves(self.save_dir)  # train_curves.png, redrawn from train_log.jsonl

    def _save(self, name):
        if self.rank != 0:
            return
        states = {**self.states, "lr_schedule": self._schedule()}
        if self.amp is not None:
            states["amp_scaler"] = self.amp.state_dict()
        prefix = os.path.join(self.save_dir, name)
        step, last = self._last_save
        same_as = last if step == self.states["global_step"] else None  # no step since: the same weights
        save_checkpoint(prefix, self.model, self.optimizer, states, same_as=same_as)
        self._last_save = (self.states["global_step"], prefix)
        self.files_written += 3
        self.dashboards.log_model(prefix, is_best=name == "best_accuracy", metadata=self.states["best_model_dict"])

    def _append_log(self, record):
        """The one path of a log record: train_log.jsonl, then the dashboards."""
        with open(os.path.join(self.save_dir, "train_log.jsonl"), "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")
        self.dashboards.log(record)
