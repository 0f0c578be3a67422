"""Loaded by the app server in benchmarks/map_render.py (``PYTHONPATH``): benchmark probes.

- ``WEICHENG_SCRIPT_TIMES``: every run of the page script (a full run or a
  fragment rerun) appends ``thread-CPU-ms wall-ms fragment|full`` to that file.
- ``WEICHENG_HEAP_SNAPSHOTS``: Python's allocations are traced (tracemalloc),
  and each SIGUSR1 writes a snapshot, after a garbage collection, to
  ``<that path>.<n>``: what the server's sessions really hold, which RSS
  (allocator arenas, freed but kept memory) shows only roughly.

Only for benchmarks; the app never loads it.
"""

import os
import time

_HEAP = os.environ.get("WEICHENG_HEAP_SNAPSHOTS")

if _HEAP:
    import gc
    import signal
    import tracemalloc

    tracemalloc.start()
    _taken = [0]

    def _snapshot(_signum, _frame):
        gc.collect()
        _taken[0] += 1
        tracemalloc.take_snapshot().dump(f"{_HEAP}.{_taken[0]}")

    signal.signal(signal.SIGUSR1, _snapshot)

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
