"""Reference for `npm run bench:import`: pandas.read_csv on the same file, timed the same way.

The time column is parsed to datetimes (as Clipcast parses it), and the frame is sorted by
time (Clipcast checks order), so both sides do the same work. Prints one JSON line.
"""
import json
import sys
import time

import pandas as pd

path = sys.argv[1]
t0 = time.perf_counter()
c0 = time.process_time()
major = int(pd.__version__.split(".")[0])
# pandas 2 takes the format; pandas 1.x (Debian bookworm) infers it from the first value
dates = {"date_format": "ISO8601"} if major >= 2 else {"infer_datetime_format": True}
frame = pd.read_csv(path, parse_dates=["time"], **dates)
frame = frame.sort_values("time", kind="stable")
seconds = time.perf_counter() - t0
cpu_seconds = time.process_time() - c0
print(json.dumps({"seconds": seconds, "cpuSeconds": cpu_seconds, "rows": int(len(frame)), "columns": int(frame.shape[1]), "pandas": pd.__version__}))
