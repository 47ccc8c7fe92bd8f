#!/usr/bin/env python3
"""measure.py RUNS CMD...: runs CMD RUNS times and prints the medians of wall
time (ms), CPU time user+system (ms) and peak resident memory (KiB). Each run
goes through runstat (a small C program, built here on first use), so the
memory is the command's own and not this Python process's."""
import os
import statistics
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
runstat = os.path.join(os.environ.get("TMPDIR", "/tmp"), "bulkhead-runstat")
src = os.path.join(here, "runstat.c")
if not os.path.exists(runstat) or os.path.getmtime(runstat) < os.path.getmtime(src):
    subprocess.run(["cc", "-O2", "-o", runstat, src], check=True)

runs = int(sys.argv[1])
cmd = sys.argv[2:]
walls, cpus, mems = [], [], []
for _ in range(runs):
    out = subprocess.run([runstat] + cmd, capture_output=True, text=True, check=True).stdout
    wall, cpu, mem = out.split()
    walls.append(float(wall))
    cpus.append(float(cpu))
    mems.append(int(mem))
print("%.2f %.2f %d" % (statistics.median(walls), statistics.median(cpus), statistics.median(mems)))
