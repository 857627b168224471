"""The one service program every tool runs in the benchmarks (run as `python3 -S svc.py MODE ...`).

Every mode appends one-line records `WHAT EPOCH_NANOS [DETAIL]` to a stamp file, so the driver reads the exact
moment something happened from the service itself, on the same clock as the tools' own timestamps. Appends use
O_APPEND with one write() per record, so services sharing a stamp file never interleave their records.

Modes:
  listen PORT STAMP MIN_MS MAX_MS  sleep a random delay in [MIN_MS, MAX_MS], listen on 127.0.0.1:PORT, record
                                   `listen T DELAY_MS PORT`, then accept and close connections until killed
  crash STAMP RUN_MS CODE          record `start T`, sleep RUN_MS, record `exit T`, exit with CODE
  idle STAMP [child]               with `child`, start `sleep 86400` as a child (a two-process tree); record
                                   `ready T PID`, then sleep until killed
  spew NAME LINES STAMP            record `begin T`, print LINES lines `NAME SEQ payload` as fast as possible,
                                   record `done T`, then sleep until killed (foreman stops everything when one
                                   process exits, so the services stay up)
"""
import os
import signal
import sys
import time

# socket, random and subprocess are imported only by the modes that use them: every import is startup time, and
# startup time is inside the restart figures of every tool alike.


def stamp(path, what, detail=""):
    line = f"{what} {time.time_ns()} {detail}".rstrip() + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)


def sleep_forever():
    while True:
        signal.pause()


def listen(port, path, min_ms, max_ms):
    import random
    import socket
    delay_ms = random.uniform(min_ms, max_ms)
    time.sleep(delay_ms / 1000)
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # the previous incarnation's connections may still be in TIME_WAIT on this port
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    server.listen(64)
    stamp(path, "listen", f"{delay_ms:.1f} {port}")
    while True:
        conn, _ = server.accept()
        conn.close()


def crash(path, run_ms, code):
    stamp(path, "start")
    time.sleep(run_ms / 1000)
    stamp(path, "exit")
    os._exit(code)


def idle(path, with_child):
    import subprocess
    child = subprocess.Popen(["sleep", "86400"]) if with_child else None
    stamp(path, "ready", str(child.pid if child else os.getpid()))
    sleep_forever()


def spew(name, lines, path):
    payload = "x" * 24
    chunk = 1000  # lines per write(): the service is never the bottleneck
    out = sys.stdout.buffer
    stamp(path, "begin", name)
    for start in range(0, lines, chunk):
        block = "".join(f"{name} {i:07d} {payload}\n" for i in range(start, min(start + chunk, lines)))
        out.write(block.encode())
    out.flush()
    stamp(path, "done", name)
    sleep_forever()


def main():
    # Ctrl-C style signals end the service quietly, like SIGTERM does, instead of raising KeyboardInterrupt.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "listen":
        listen(int(args[0]), args[1], float(args[2]), float(args[3]))
    elif mode == "crash":
        crash(args[0], float(args[1]), int(args[2]))
    elif mode == "idle":
        idle(args[0], len(args) > 1 and args[1] == "child")
    elif mode == "spew":
        spew(args[0], int(args[1]), args[2])
    else:
        sys.exit(f"svc.py: unknown mode {mode!r}")


if __name__ == "__main__":
    main()
