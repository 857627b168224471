"""Reading /proc, and small statistics, for bench.py. Linux only."""
import math
import os
import signal
import time

TAG_VAR = "BENCH_TAG"


def read_stat(pid):
    """(state, ppid) of a process, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            text = f.read()
    except OSError:
        return None
    rest = text[text.rindex(")") + 2:].split()
    return rest[0], int(rest[1])


def alive(pid):
    """True while the process exists and is not a zombie (a zombie is dead, only not reaped yet)."""
    st = read_stat(pid)
    return st is not None and st[0] not in ("Z", "X")


def argv(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return [a.decode(errors="replace") for a in f.read().split(b"\0") if a]
    except OSError:
        return []


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def hwm_kib(pid):
    """Peak resident set size (VmHWM) of a process: the most it has held at once since it started."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def pss_kib(pid):
    """Proportional set size: shared pages divided among the processes sharing them, so sums are fair."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tagged(tag):
    """Live processes whose environment carries BENCH_TAG=tag: everything a benchmark run started."""
    want = f"{TAG_VAR}={tag}".encode()
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        pid = int(entry)
        if pid == os.getpid():
            continue
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                env = f.read().split(b"\0")
        except OSError:
            continue
        if want in env and alive(pid):
            found.append(pid)
    return found


def tagged_suffix(suffix):
    """Live processes whose BENCH_TAG ends with suffix: what any run of one bench.py invocation started."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            try:
                with open(f"/proc/{entry}/environ", "rb") as f:
                    env = f.read().split(b"\0")
            except OSError:
                continue
            if any(e.startswith(TAG_VAR.encode() + b"=") and e.endswith(suffix.encode()) for e in env) \
                    and alive(int(entry)):
                found.append(int(entry))
    return found


def is_service_process(pid):
    """A process of a benchmark service: svc.py itself, a shell wrapping it, or the child it started. Not an
    orchestrator that merely has svc.py among its arguments (concurrently)."""
    words = argv(pid)
    if words == ["sleep", "86400"]:
        return True
    if len(words) >= 3 and os.path.basename(words[0]).startswith("python") and words[2].endswith("/svc.py"):
        return True
    return len(words) >= 3 and os.path.basename(words[0]) in ("sh", "dash", "bash") and words[1] == "-c" \
        and "svc.py" in words[2]


def ephemeral_range():
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            lo, hi = (int(x) for x in f.read().split())
            return lo, hi
    except (OSError, ValueError):
        return 32768, 60999


def low_ports(n, start=None):
    """n distinct ports that nothing listens on, below the ephemeral port range (so no client socket is ever given
    one of them as its own port), counted down from just under it."""
    import socket
    lo, _ = ephemeral_range()
    port = (start or lo) - 1
    found = []
    while len(found) < n and port > 1024:
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", port))
                found.append(port)
            except OSError:
                pass
        port -= 1
    return sorted(found)


def kill_all(pids, sig=signal.SIGKILL):
    for pid in pids:
        try:
            os.kill(pid, sig)
        except (ProcessLookupError, PermissionError):
            pass


def wait_gone(pids, timeout, interval=0.005, until=None):
    """Polls until none of the pids is alive; returns (time_ns when the last was seen gone, or None, survivors).
    Gives up at the timeout, or as soon as until() is true (for example: the tool exited a second ago, so nothing is
    left that would stop the rest)."""
    left = set(pids)
    deadline = time.monotonic() + timeout
    while left:
        left = {p for p in left if alive(p)}
        if not left:
            return time.time_ns(), []
        if time.monotonic() > deadline or (until and until()):
            return None, sorted(left)
        time.sleep(interval)
    return time.time_ns(), []


def wait_until(predicate, timeout, interval=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


def read_stamps(path):
    """Records of a svc.py stamp file: a list of (what, epoch_nanos, detail)."""
    records = []
    try:
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 2:
                    records.append((parts[0], int(parts[1]), " ".join(parts[2:])))
    except FileNotFoundError:
        pass
    return records


def median(values):
    s = sorted(values)
    n = len(s)
    if n == 0:
        return None
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def percentile(values, q):
    """Nearest-rank percentile, q in (0, 1]: p99 of 100 samples is the 99th smallest."""
    s = sorted(values)
    if not s:
        return None
    return s[max(0, math.ceil(q * len(s)) - 1)]


def inotify_watches(pid):
    """Inode numbers of the inotify watches a process holds: one `inotify wd:` line per watch in the fdinfo of each
    of its inotify file descriptors. Empty when the process is gone or has none."""
    inodes = []
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return inodes
    for fd in fds:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") != "anon_inode:inotify":
                continue
            with open(f"/proc/{pid}/fdinfo/{fd}") as f:
                for line in f:
                    if line.startswith("inotify wd:"):
                        fields = dict(kv.split(":", 1) for kv in line.split()[1:] if ":" in kv)
                        inodes.append(int(fields["ino"], 16))
        except (OSError, KeyError, ValueError):
            continue
    return inodes


def p90(values):
    """Nearest-rank 90th percentile."""
    s = sorted(values)
    if not s:
        return None
    return s[max(0, math.ceil(0.9 * len(s)) - 1)]
