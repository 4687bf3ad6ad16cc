#!/usr/bin/env python3
"""Runs a command and prints the milliseconds until its first byte on stdout, then until it ends.
Usage: first-byte.py CMD [ARGS...]   (stdin is /dev/null; stderr passes through)"""
import os, subprocess, sys, time

start = time.monotonic()
proc = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
first = proc.stdout.read(1)
t_first = time.monotonic()
rest = proc.stdout.read()
code = proc.wait()
t_end = time.monotonic()
if code != 0 or not first:
    sys.stderr.write(f"first-byte.py: {sys.argv[1:]} exited {code} with output {first + rest!r}\n")
    sys.exit(1)
print(f"{(t_first - start) * 1000:.1f} {(t_end - start) * 1000:.1f}")
