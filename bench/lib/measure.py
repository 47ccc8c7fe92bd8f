#!/usr/bin/env python3
"""measure.py RUNS CMD...: runs CMD RUNS times (stdout discarded) and prints the
medians of wall time (ms), CPU time user+system (ms) and peak resident memory
(KiB) of the command and its children, from wait4's rusage."""
import os
import statistics
import subprocess
import sys
import time

runs = int(sys.argv[1])
cmd = sys.argv[2:]
walls, cpus, mems = [], [], []
for _ in range(runs):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, ru = os.wait4(p.pid, 0)
    walls.append((time.perf_counter() - t0) * 1000)
    cpus.append((ru.ru_utime + ru.ru_stime) * 1000)
    mems.append(ru.ru_maxrss)
print("%.2f %.2f %d" % (statistics.median(walls), statistics.median(cpus), statistics.median(mems)))
