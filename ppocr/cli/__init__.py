"""The command-line layer: what each tool in ``tools/`` does once its arguments are parsed.
``startup`` (config and ``-o`` options, logging, one-line errors), ``crash_guard`` (a native crash
or a stop signal ends a tool with one line), and one module per tool, named after it: ``train``,
``evaluate`` (eval.py), ``infer_rec``, ``export_model``, ``predict_rec`` (with ``predict_flags``),
``serve``, ``vis_rectify``, ``demo``, and ``data_tools`` for the four data tools. The tools import
nothing else.
"""
