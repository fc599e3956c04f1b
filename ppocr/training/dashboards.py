"""Live dashboards of a training run, fed from the trainer's one log path (``train_log.jsonl``'s
records: ``kind: train`` at each log step, ``kind: eval`` at each evaluation) and told of each
checkpoint it writes:

- ``Global.use_visualdl``: VisualDL, the Paddle ecosystem's own, in ``save_model_dir/vdl``
  (``visualdl --logdir output/rec/x/vdl``); scalars ``train/loss``, ``train/lr``, ``train/acc``,
  ``train/ips``..., ``eval/acc``, ``eval/norm_edit_dis``...
- ``Global.use_wandb`` or a ``wandb:`` section (its keys are ``wandb.init``'s: project, name, id,
  entity, mode, tags...): Weights & Biases in ``save_model_dir/wandb``, the same scalars, the
  config, and each checkpoint's weights as an artifact (``best``, ``latest``, ``iter_epoch_N``),
  as the reference's WandbLogger. Without a W&B login (``WANDB_API_KEY``, ``wandb login``) or
  with ``WANDB_MODE=offline`` the run is recorded offline (``wandb sync`` uploads it later),
  and an unreachable server makes it offline after ``init_timeout`` seconds: never a hang.

Both are optional extras (``pip install -e .[visualdl,wandb]``); asking for one that is not
installed is a one-line error. ``train_curves.png`` and ``train_log.jsonl`` are written either way.

Example::

    dashboards = build_dashboards(config, "output/rec/x")   # Dashboards([]) when none is asked for
    dashboards.log({"kind": "train", "global_step": 10, "loss": 3.2, "lr": 0.001})
    dashboards.close()
"""
import inspect
import logging
import os

from ppocr.errors import UserError
from ppocr.global_settings import GlobalSettings

logger = logging.getLogger("ppocr")
NOT_SCALARS = ("kind", "global_step", "epoch")  # a record's bookkeeping, not a curve


def scalars(record):
    """The numbers of a log record (booleans, strings such as the ETA and dicts left out)."""
    return {key: value for key, value in record.items()
            if key not in NOT_SCALARS and isinstance(value, (int, float)) and not isinstance(value, bool)}


class Dashboards:
    """The run's dashboards, each with ``log(record)``, ``log_model(prefix, is_best, metadata)`` and
    ``close()``: the trainer calls these three, whichever dashboards there are (none, one, both)."""

    def __init__(self, dashboards):
        self.dashboards = list(dashboards)

    def log(self, record):
        for dashboard in self.dashboards:
            dashboard.log(record)

    def log_model(self, prefix, is_best=False, metadata=None):
        for dashboard in self.dashboards:
            dashboard.log_model(prefix, is_best, metadata)

    def close(self):
        while self.dashboards:  # once, however training ends
            self.dashboards.pop().close()


def build_dashboards(config, save_dir, settings=None):
    """The dashboards ``config`` asks for (``Global.use_visualdl``, ``Global.use_wandb``, ``wandb:``);
    ``settings``: the config's ``GlobalSettings`` when the caller has them."""
    settings = settings or GlobalSettings.of(config)
    wandb_options = config.get("wandb")
    if wandb_options is not None and not isinstance(wandb_options, dict):
        raise UserError(f"the wandb: section must be a mapping of wandb.init options (project, name, ...), "
                        f"got {wandb_options!r}")
    dashboards = []
    if settings.use_visualdl:
        dashboards.append(VisualDLDashboard(os.path.join(save_dir, "vdl")))
    if settings.use_wandb or wandb_options is not None:
        dashboards.append(WandbDashboard(dict(wandb_options or {}), save_dir, config))
    return Dashboards(dashboards)


def _import(module, key):
    try:
        return __import__(module)
    except ImportError:
        raise UserError(f"Global.{key} needs the {module} package, which is not installed: pip install {module} "
                        f"(or pip install -e .[{module}]), or set Global.{key}=False") from None


class VisualDLDashboard:
    """Scalars in a VisualDL log folder."""

    def __init__(self, logdir):
        visualdl = _import("visualdl", "use_visualdl")
        self.writer = visualdl.LogWriter(logdir=logdir)
        logger.info("VisualDL logs in %s: visualdl --logdir %s", logdir, logdir)

    def log(self, record):
        for key, value in scalars(record).items():
            self.writer.add_scalar(tag=f"{record['kind']}/{key}", value=float(value), step=record["global_step"])

    def log_model(self, prefix, is_best, metadata):
        """VisualDL keeps no files: nothing to do."""

    def close(self):
        self.writer.close()


class WandbDashboard:
    """A Weights & Biases run (offline without a login), as the reference's WandbLogger."""

    INIT_TIMEOUT = 60  # seconds wandb.init may wait for the server before the run goes offline

    def __init__(self, options, save_dir, config):
        self.wandb = _import("wandb", "use_wandb")
        options.pop("save_dir", None)  # the reference's own key; the run goes to save_model_dir
        known = set(inspect.signature(self.wandb.init).parameters) - {"dir", "config"}
        unknown = sorted(set(options) - known)
        if unknown:
            raise UserError(f"wandb: section has option(s) {', '.join(unknown)} that wandb.init does not take "
                            f"(it takes {', '.join(sorted(known))}): fix or remove them")
        os.makedirs(save_dir, exist_ok=True)
        init = {"resume": "allow", **options, "dir": save_dir, "config": config}
        init.setdefault("mode", os.environ.get("WANDB_MODE") or self._mode_without_prompt())
        try:
            self.run = self.wandb.init(**init, settings=self.wandb.Settings(init_timeout=self.INIT_TIMEOUT))
        except Exception as e:  # noqa: BLE001  (the server unreachable: a dashboard must never stop training)
            if init["mode"] == "offline":
                raise
            logger.warning("W&B did not answer (%s): recording this run offline; upload it later with wandb sync", e)
            self.run = self.wandb.init(**{**init, "mode": "offline"})
        logger.info("W&B run %s (%s) in %s", self.run.id, init["mode"], os.path.join(save_dir, "wandb"))

    def _mode_without_prompt(self):
        """``online`` with a W&B login, else ``offline`` (and one line saying so): wandb.init would
        otherwise ask for a key on the console, or wait for a server it cannot reach."""
        if self.wandb.login(prompt=False, verify=False):
            return "online"
        logger.warning("no W&B login (WANDB_API_KEY or wandb login): recording the run offline; upload it later "
                       "with wandb sync")
        return "offline"

    def log(self, record):
        values = {f"{record['kind']}/{key}": value for key, value in scalars(record).items()}
        self.run.log(values, step=record["global_step"])

    def log_model(self, prefix, is_best, metadata):
        name = os.path.basename(prefix)
        artifact = self.wandb.Artifact(f"model-{self.run.id}", type="model", metadata=dict(metadata or {}))
        # the checkpoint's files are replaced by rename, never rewritten: W&B may keep a reference, not a copy
        artifact.add_file(prefix + ".pdparams", name="model_ckpt.pdparams", policy="immutable")
        self.run.log_artifact(artifact, aliases=[name, "best"] if is_best else [name])

    def close(self):
        self.run.finish()
