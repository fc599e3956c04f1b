"""Training: the trainer's loop (``trainer``), the one training-step interface and its three
implementations (``train_step``: one model, DataParallel, CPU model replicas in ``replicas``,
Paddle's private internals wrapped in ``paddle_private``), mixed precision (``amp``) and
synchronised batch norms (``sync_bn``), checkpoints written atomically and read back
(``checkpoint``, ``resume``), a stop signal turned into a saved checkpoint (``stop``), what a log
line tells (``step_log``: step times, ETA, GPU memory) and the live dashboards it feeds
(``dashboards``: VisualDL, W&B), a config's model (``components``) and a trained recogniser from a
config (``recognizer``), which evaluation, export and the dygraph inference backend start from.
"""
