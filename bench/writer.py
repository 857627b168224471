"""The writer of benchmark 6: writes files one at a time and records when each write began and returned.

usage: python3 -S bench/writer.py PLAN STAMPS
  PLAN    JSON: {"root": FOLDER, "writes": [[RELATIVE_PATH, TEXT, PAUSE_SECONDS], ...], "makedirs": BOOL}
          (with makedirs, a missing folder is made right before the first write into it, as a checkout does)
  STAMPS  written at the end, one line per write: PATH BEGIN_WALL BEGIN_MONO END_WALL END_MONO (nanoseconds,
          time.time_ns() and time.monotonic_ns(), read back to back; END right after close() returned)

A process of its own, with one thread: in bench.py the reader threads of the watcher's output would compete for the
GIL and could delay the timestamp taken after close() by up to the 5 ms switch interval.
"""
import json
import os
import sys
import time


def main():
    with open(sys.argv[1]) as f:
        plan = json.load(f)
    root = plan["root"]
    rows = []
    makedirs = plan.get("makedirs", False)
    for rel, text, pause in plan["writes"]:
        path = root + "/" + rel
        begin_wall, begin_mono = time.time_ns(), time.monotonic_ns()
        if makedirs:
            os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        end_wall, end_mono = time.time_ns(), time.monotonic_ns()
        rows.append(f"{rel} {begin_wall} {begin_mono} {end_wall} {end_mono}\n")
        if pause:
            time.sleep(pause)
    with open(sys.argv[2], "w") as f:
        f.writelines(rows)


if __name__ == "__main__":
    main()
