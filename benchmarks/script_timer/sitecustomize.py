"""Loaded by the app server in benchmarks/map_render.py (``PYTHONPATH``): logs each script run's CPU time.

Every run of the page script (a full run or a fragment rerun) appends
``thread-CPU-ms wall-ms fragment|full`` to the file named by
``WEICHENG_SCRIPT_TIMES``. Only for benchmarks; the app never loads it.
"""

import os
import time

_LOG = os.environ.get("WEICHENG_SCRIPT_TIMES")

if _LOG:
    import streamlit.runtime.scriptrunner.script_runner as _runner

    _real = _runner.exec_func_with_error_handling

    def _timed(func, ctx):
        cpu, wall = time.thread_time(), time.perf_counter()
        try:
            return _real(func, ctx)
        finally:
            kind = "fragment" if getattr(ctx, "fragment_ids_this_run", None) else "full"
            with open(_LOG, "a", encoding="utf-8") as log:
                log.write(f"{(time.thread_time() - cpu) * 1000:.2f} {(time.perf_counter() - wall) * 1000:.1f} {kind}\n")

    _runner.exec_func_with_error_handling = _timed
