"""What every tool does first: read ``-c``/``-o``, start the process group, pick the device, log."""
import argparse
import os
import sys

import yaml

from ppocr.config import dump_config, merge_config
from ppocr.config_check import check_config
from ppocr.errors import Interrupted, UserError
from ppocr.export.model_folder import CONFIG_COPY
from ppocr.global_settings import GlobalSettings
from ppocr.global_settings import notices as reference_notices
from ppocr.utils.logging import get_logger


class OneLineParser(argparse.ArgumentParser):
    """argparse whose errors are one line (``error: ...``, exit code 2) like every other user error."""

    def error(self, message):
        print(f"error: {message} (see {self.prog} --help)", file=sys.stderr)
        sys.exit(2)


def config_parser(description, extra_args=None):
    """``-c``/``-o``/``--show_config`` plus a tool's own options: ``extra_args(parser)`` adds them
    (one parser, one --help)."""
    parser = OneLineParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-c", "--config", required=True, help="YAML config, e.g. configs/rec/rec_mv3_tps_bilstm_ctc.yml")
    parser.add_argument("-o", "--opt", nargs="+", action="append", default=[], metavar="Section.key=value",
                        help="override config values (YAML values; several pairs per -o, -o repeatable): "
                             "Section.key=value sets a key, +Section.key=value adds a key the config lacks, "
                             "~Section.key deletes a key (quote it: '~Train.dataset.label_file_list')")
    parser.add_argument("--show_config", action="store_true",
                        help="also print the merged config (it is always written to the tool's output folder)")
    if extra_args is not None:
        extra_args(parser)
    return parser


def setup(argv, description, log_name=None, extra_args=None, config_copy=None, output_folders=()):
    """Parse the command line and return ``(config, settings, args)`` with logging and the device
    ready; ``settings`` are the config's ``GlobalSettings``, parsed here once for the whole run.

    ``config_copy(settings)`` names the file the merged config is written to (the tool's output
    folder; None: nowhere, e.g. training writes its own ``config.yml``); ``--show_config`` prints it.
    ``output_folders``: the Global keys naming the folders the tool writes into, checked before any
    work (``check_output_folder``).
    """
    # Paddle loads here, not at import: the data tools (gen_synth_data, create_lmdb_dataset) and
    # their spawned workers share ``run`` and never need it (0.5 GB and 2-3 s per worker)
    import paddle.distributed as dist

    from ppocr.utils.device import missing_build, select_device

    _register_components()
    args = config_parser(description, extra_args).parse_args(argv)
    overrides = [pair for group in args.opt for pair in group]
    notices = []
    config = check_config(merge_config(args.config, overrides, notices))
    config["Global"] = config.get("Global") or {}
    notices += reference_notices(config)
    world = int(os.environ.get("PADDLE_TRAINERS_NUM", "1"))
    if config["Global"].get("distributed") not in (None, world > 1):  # the reference derives it, silently
        notices.append(f"Global.distributed={config['Global']['distributed']} replaced by {world > 1}: it is set "
                       f"from the processes of the run ({world} here)")
    config["Global"]["distributed"] = world > 1
    settings = GlobalSettings.of(config)
    for key in output_folders:
        check_output_folder(getattr(settings, key), f"Global.{key}")
    get_logger(rank=int(os.environ.get("PADDLE_TRAINER_ID", "0")))  # the device's warning in this format
    problem = missing_build(settings.device_name)  # use_xpu and the like on a Paddle without that device
    if problem:
        raise UserError(problem)
    device = select_device(settings.device_name)
    if world > 1 and not dist.is_initialized():
        dist.init_parallel_env()
    rank = dist.get_rank()
    log_file = os.path.join(settings.save_model_dir, log_name) if log_name else None
    logger = get_logger(log_file=log_file, rank=rank, log_ranks=settings.log_ranks)
    if rank == 0:
        for notice in notices:
            logger.info(notice)
        copy = config_copy(settings) if config_copy is not None else None
        if copy:
            dump_config(config, copy)
            logger.info("config (with the -o overrides) written to %s", copy)
        if args.show_config:
            logger.info("config:\n%s", yaml.safe_dump(config, sort_keys=False, allow_unicode=True).rstrip())
        logger.info("device: %s, processes: %d, compute threads per process: %s", device, dist.get_world_size(),
                    os.environ.get("OMP_NUM_THREADS", "1"))
    return config, settings, args


def check_output_folder(path, key):
    """A one-line UserError naming ``key`` when the folder ``path`` cannot be made: it, or a folder
    above it, is a file (checked before any work, where ``os.makedirs`` would raise halfway)."""
    if not path:
        return
    part = os.path.abspath(path)
    while not os.path.exists(part):
        part = os.path.dirname(part)
    if not os.path.isdir(part):
        where = "is a file" if part == os.path.abspath(path) else f"is inside {part!r}, which is a file"
        raise UserError(f"{key}={path!r} {where}, not a folder: name a folder to write into (new or existing), "
                        f"e.g. -o {key}=./output/NAME/")


def config_beside_results(settings):
    """``tools/infer_rec.py``'s config copy: ``Global.save_res_path`` with ``.config.yml`` for its extension."""
    path = settings.save_res_path
    return os.path.splitext(path)[0] + ".config.yml" if path else None


def config_in_model_folder(settings):
    """``tools/export_model.py``'s config copy: ``config.yml`` in ``Global.save_inference_dir``."""
    folder = settings.save_inference_dir
    return os.path.join(folder, CONFIG_COPY) if folder else None


def _register_components():
    """Every registry filled, so that a component renamed with -o knows its options (ppocr.config)."""
    import ppocr.data.lmdb_dataset  # noqa: F401
    import ppocr.data.simple_dataset  # noqa: F401
    import ppocr.losses  # noqa: F401
    import ppocr.metrics  # noqa: F401
    import ppocr.optimizer  # noqa: F401
    import ppocr.trained_model.from_config  # noqa: F401  (data ops, model stages, post-processing)


def run(main):
    """Run a tool's ``main``; a user's mistake ends in one line on stderr and exit code 2
    (set PPOCR_DEBUG=1 to see its traceback). Training stopped by a signal exits with 128 + signal."""
    try:
        main()
    except UserError as e:
        if os.environ.get("PPOCR_DEBUG"):
            raise
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
    except Interrupted as e:
        print(f"stopped: {e}", file=sys.stderr)
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
