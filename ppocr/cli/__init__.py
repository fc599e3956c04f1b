"""The command-line layer: what each tool in ``tools/`` does once its arguments are parsed.
``program`` (config and ``-o`` options, logging, one-line errors), ``crash_guard`` (a native crash
or a stop signal ends a tool with one line), and one module per tool family: ``evaluate``,
``infer``, ``predict``, ``serve``, ``data_tools``, ``demo``. The tools import nothing else.
"""
