"""Training: the trainer's loop (``trainer``), the one training-step interface and its three
implementations (``train_step``: one model, DataParallel, CPU model replicas in ``replicas``,
Paddle's private internals wrapped in ``paddle_private``), mixed precision (``amp``) and
synchronised batch norms (``sync_bn``), exact resume from a checkpoint (``resume``; the files are
``ppocr.trained_model.checkpoint``'s), a stop signal turned into a saved checkpoint (``stop``), what
a log line tells (``step_log``: step times, ETA, GPU memory) and the live dashboards it feeds
(``dashboards``: VisualDL, W&B). The model is built by ``ppocr.trained_model.from_config``.
"""
