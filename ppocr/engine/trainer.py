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
from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

from ppocr.charset import build_charset
from ppocr.config import dump_config
from ppocr.data import build_dataloader
from ppocr.engine.checkpoint import load_checkpoint, load_weights, save_checkpoint
from ppocr.engine.evaluator import evaluate
from ppocr.losses import build_loss
from ppocr.metrics import build_metric
from ppocr.modeling import build_model
from ppocr.optimizer import build_optimizer
from ppocr.postprocess import build_postprocess

logger = logging.getLogger("ppocr")


class StopRequested(Exception):
    """SIGINT / SIGTERM arrived: save ``latest`` and leave."""


class Trainer:
    """Everything one training run needs, built from a merged config.

    Example::

        cfg = merge_config("configs/rec/rec_mv3_tps_bilstm_ctc.yml", ["Global.epoch_num=1"])
        Trainer(cfg).train()
    """

    def __init__(self, config):
        self.config = config
        g = config["Global"]
        self.save_dir = g.get("save_model_dir") or "./output/rec/"
        self.rank, self.world = dist.get_rank(), dist.get_world_size()
        self.seed = int(g.get("seed", 1024))
        paddle.seed(self.seed + self.rank)
        self.charset = build_charset(config)
        self.model = build_model(config, self.charset)
        self.train_loader = build_dataloader(config, "Train", self.charset, seed=self.seed)
        self.eval_loader = build_dataloader(config, "Eval", self.charset) if config.get("Eval") else None
        self.loss_fn = build_loss(config)
        self.postprocess = build_postprocess(config, self.charset)
        self.metric = build_metric(config)
        self.epoch_num = int(g.get("epoch_num", 1))
        self.optimizer, self.lr = build_optimizer(
            config["Optimizer"], self.epoch_num, len(self.train_loader), self.model
        )
        self.states = {"epoch": 1, "step_in_epoch": 0, "global_step": 0, "best_model_dict": {}}
        skip = bool(g.get("skip_mismatched_tensors", False))
        if g.get("checkpoints"):
            self._resume(g["checkpoints"], skip)
        elif g.get("pretrained_model"):
            load_weights(self.model, g["pretrained_model"], skip_mismatched=skip)
        self.use_amp = bool(g.get("use_amp", False))
        if self.use_amp and not paddle.is_compiled_with_cuda():
            logger.warning("Global.use_amp needs a GPU: training in float32 on the CPU")
            self.use_amp = False
        self.scaler = paddle.amp.GradScaler(init_loss_scaling=2.0**15) if self.use_amp else None
        self.net = paddle.DataParallel(self.model) if self.world > 1 else self.model

    def _resume(self, prefix, skip):
        saved = load_checkpoint(prefix, self.model, self.optimizer, skip_mismatched=skip)
        for key in self.states:
            if key in saved:
                self.states[key] = saved[key]
        if "step_in_epoch" not in saved and "epoch" in saved:  # reference files: end of an epoch
            self.states["epoch"], self.states["step_in_epoch"] = saved["epoch"] + 1, 0
        self._apply_config_lr(saved.get("config_lr"))
        logger.info("resumed from %s at epoch %d, global step %d, best %s", prefix,
                    self.states["epoch"], self.states["global_step"], self.states["best_model_dict"] or "none")

    def _config_lr(self):
        lr_cfg = self.config["Optimizer"].get("lr") or {}
        return lr_cfg.get("learning_rate", lr_cfg.get("values"))

    def _apply_config_lr(self, saved_lr):
        """A learning rate edited in the config since the checkpoint wins over the saved one."""
        new = self._config_lr()
        if saved_lr is None or new is None or saved_lr == new:
            return
        sched = self.lr
        if isinstance(sched, paddle.optimizer.lr.LinearWarmup):
            sched = sched.learning_rate
        if isinstance(sched, paddle.optimizer.lr.PiecewiseDecay) and isinstance(new, list):
            sched.values = list(new)
        elif isinstance(sched, paddle.optimizer.lr.LRScheduler) and not isinstance(new, list):
            sched.base_lr = float(new)
        if isinstance(self.lr, paddle.optimizer.lr.LRScheduler):
            self.lr.step(self.lr.last_epoch)  # recompute the current value from the new base
        else:
            self.optimizer.set_lr(float(new))
        logger.info("learning rate changed in the config since the checkpoint: %s -> %s (applied)", saved_lr, new)

    # ---- the loop ---------------------------------------------------------------------
    def train(self):
        g = self.config["Global"]
        if self.rank == 0:
            os.makedirs(self.save_dir, exist_ok=True)
            dump_config(self.config, os.path.join(self.save_dir, "config.yml"))
        print_step = int(g.get("print_batch_step", 10))
        eval_start, eval_every = _eval_schedule(g.get("eval_batch_step", [0, 2000]))
        save_epoch_step = int(g.get("save_epoch_step", 1))
        smooth = collections.deque(maxlen=int(g.get("log_smooth_window", 20)))
        steps_per_epoch = len(self.train_loader)
        self.skipped = collections.Counter()
        self.steps_run = self.files_written = 0
        self.net.train()
        with _StopSignals() as stop, logging_redirect_tqdm(loggers=[logger]):
            return self._train_epochs(stop, print_step, eval_start, eval_every, save_epoch_step, smooth, steps_per_epoch)

    def _train_epochs(self, stop, print_step, eval_start, eval_every, save_epoch_step, smooth, steps_per_epoch):
        try:
            for epoch in range(self.states["epoch"], self.epoch_num + 1):
                self.states["epoch"] = epoch
                sampler = self.train_loader.batch_sampler
                sampler.set_epoch(epoch)
                if hasattr(sampler, "set_start"):
                    sampler.set_start(self.states["step_in_epoch"])
                bar = tqdm(total=steps_per_epoch, initial=self.states["step_in_epoch"], desc=f"epoch {epoch}",
                           disable=True if self.rank != 0 else None, leave=False, dynamic_ncols=True)
                reader_start = time.perf_counter()
                window = _Window()
                for batch in self.train_loader:
                    window.reader += time.perf_counter() - reader_start
                    self.skipped.update(batch.get("skipped") or {})
                    if len(batch["text"]) == 0:
                        reader_start = time.perf_counter()
                        continue
                    loss, preds = self._step(batch)
                    smooth.append(float(loss))
                    self.states["global_step"] += 1
                    self.steps_run += 1
                    self.states["step_in_epoch"] += 1
                    window.add(time.perf_counter() - reader_start, len(batch["text"]))
                    bar.update(1)
                    step = self.states["global_step"]
                    if self.rank == 0 and step % print_step == 0:
                        self._log_train(batch, preds, smooth, window, steps_per_epoch)
                        window = _Window()
                    if step > eval_start and (step - eval_start) % eval_every == 0:
                        self._evaluate_and_save()
                    if stop:
                        raise StopRequested(stop[0])
                    reader_start = time.perf_counter()
                bar.close()
                self.states["step_in_epoch"] = 0
                self.states["epoch"] = epoch + 1
                self._save("latest")
                if epoch % save_epoch_step == 0:
                    self._save(f"iter_epoch_{epoch}")
        except StopRequested as e:
            self._save("latest")
            logger.warning("received %s: saved %s and stopped; resume with -o Global.checkpoints=%s",
                           e.args[0], os.path.join(self.save_dir, "latest"), os.path.join(self.save_dir, "latest"))
            return self.states
        if self.rank == 0:
            logger.info("training done: best %s; skipped samples: %s", self.states["best_model_dict"] or "none",
                        dict(self.skipped) or "none")
        logger.info("rank %d of %d finished: %d steps this run, %d checkpoint files written", self.rank, self.world,
                    self.steps_run, self.files_written, extra={"all_ranks": True})
        return self.states

    def _step(self, batch):
        targets = {k: v for k, v in batch.items() if k not in ("image", "text", "valid", "skipped")}
        with paddle.amp.auto_cast(enable=self.use_amp):
            preds = self.net(batch["image"], targets)
            loss = self.loss_fn(preds, targets)["loss"]
        if self.scaler is not None:
            scaled = self.scaler.scale(loss)
            scaled.backward()
            self.scaler.minimize(self.optimizer, scaled)
        else:
            loss.backward()
            self.optimizer.step()
        self.optimizer.clear_grad()
        if isinstance(self.lr, paddle.optimizer.lr.LRScheduler):
            self.lr.step()
        return loss, preds

    def _log_train(self, batch, preds, smooth, window, steps_per_epoch):
        g = self.config["Global"]
        record = {"epoch": self.states["epoch"], "global_step": self.states["global_step"],
                  "lr": self.optimizer.get_lr(), "loss": sum(smooth) / len(smooth)}
        if g.get("cal_metric_during_train", True):
            probs = F.softmax(preds, axis=-1) if isinstance(preds, paddle.Tensor) else preds
            labels = [self.charset.normalise(t) for t in batch["text"]]
            record.update(self.metric.update(self.postprocess(probs), labels))
            record.pop("samples", None)
            self.metric.reset()
        record.update(window.summary())
        if self.skipped:
            record["skipped"] = dict(self.skipped)
        text = ", ".join(f"{k}: {v:.6f}" if isinstance(v, float) else f"{k}: {v}" for k, v in record.items())
        logger.info("epoch: [%d/%d], %s", self.states["epoch"], self.epoch_num, text.split(", ", 1)[1])
        self._append_log({"kind": "train", **record})

    def _evaluate_and_save(self):
        if self.eval_loader is None:
            return
        result = evaluate(self.net, self.eval_loader, self.postprocess, self.metric, self.charset)
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

    def _save(self, name):
        if self.rank != 0:
            return
        states = {**self.states, "config_lr": self._config_lr()}
        save_checkpoint(os.path.join(self.save_dir, name), self.model, self.optimizer, states)
        self.files_written += 3

    def _append_log(self, record):
        with open(os.path.join(self.save_dir, "train_log.jsonl"), "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")


class _Window:
    """Reader and batch time and samples since the last log line."""

    def __init__(self):
        self.reader = self.batch = 0.0
        self.steps = self.samples = 0

    def add(self, batch_cost, samples):
        self.batch += batch_cost
        self.steps += 1
        self.samples += samples

    def summary(self):
        steps = max(self.steps, 1)
        return {"avg_reader_cost": round(self.reader / steps, 5), "avg_batch_cost": round(self.batch / steps, 5),
                "avg_samples": round(self.samples / steps, 1), "ips": round(self.samples / max(self.batch, 1e-9), 2)}


def _eval_schedule(value):
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return int(value[0]), max(1, int(value[1]))
    return 0, max(1, int(value))


class _StopSignals:
    """While active, SIGINT/SIGTERM only set ``requested``; the loop saves and stops at a step end."""

    def __init__(self):
        self.requested = []
        self._previous = {}

    def __bool__(self):
        return bool(self.requested)

    def __getitem__(self, i):
        return self.requested[i]

    def __enter__(self):
        for sig in (signal.SIGINT, signal.SIGTERM):
            self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def _handle(self, signum, frame):
        self.requested.append(signal.Signals(signum).name)

    def __exit__(self, *exc):
        for sig, previous in self._previous.items():
            signal.signal(sig, previous)
