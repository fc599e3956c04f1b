"""The command-line layer: what each tool in ``tools/`` does once its arguments are parsed.
``startup`` (config and ``-o`` options, logging, one-line errors), ``crash_guard`` (a native crash
or a stop signal ends a tool with one line), and one module per tool, named after it, with the
tool's ``main(argv)`` and ``--help`` text (``DESCRIPTION``): ``train``, ``evaluate`` (eval.py),
``infer_rec``, ``export_model``, ``predict_rec`` (with ``predict_flags``), ``serve``, ``vis_rectify``,
``demo``, ``gen_synth_data``, ``create_lmdb_dataset``, ``convert_public_set``, ``find_leaks``;
``console_scripts`` makes them the ``ppocr-*`` commands of a pip install. The tools import nothing
else.
"""
