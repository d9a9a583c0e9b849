"""Times one trainer run's fixed costs and epochs from its own log lines, and prints JSON.

Usage: python time-trainer.py -- COMMAND [ARGS...]

Both Ultralytics and YOLOv5 log "Starting training for N epochs..." right before the first
epoch and "N epochs completed in ..." right after the last. Printed (seconds, wall clock):
  startup   process start -> first epoch begins (imports, data set scan, model build)
  epochs    first epoch begins -> last epoch ends, and perEpoch = epochs / N
  teardown  last epoch ends -> process exit (final validation of best.pt, stripping weights)
  cpu       user + system CPU seconds of the whole run, and cpuStartup / cpuEpochs /
            cpuTeardown the same split (read from /proc, so less sensitive to a loaded machine)
  code      the command's exit status
The command's own output goes to stderr.
"""

import json
import os
import re
import resource
import subprocess
import sys
import time

START = re.compile(r"Starting training for (\d+) epochs")
END = re.compile(r"(\d+) epochs completed in")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a live process (Linux /proc), 0 when unreadable."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def main() -> None:
    if "--" not in sys.argv:
        sys.exit(f"usage: {os.path.basename(sys.argv[0])} -- COMMAND [ARGS...]")
    command = sys.argv[sys.argv.index("--") + 1 :]
    t0 = time.monotonic()
    marks: dict[str, float] = {}
    cpu: dict[str, float] = {}
    epochs = None
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, bufsize=0)
    pending = b""
    while chunk := child.stdout.read(4096):
        sys.stderr.buffer.write(chunk)
        pending += chunk
        *lines, pending = re.split(rb"[\r\n]", pending)
        for line in lines:
            text = line.decode(errors="replace")
            if "start" not in marks and (m := START.search(text)):
                marks["start"], epochs = time.monotonic(), int(m[1])
                cpu["start"] = cpu_seconds(child.pid)
            elif "end" not in marks and END.search(text):
                marks["end"] = time.monotonic()
                cpu["end"] = cpu_seconds(child.pid)
    code = child.wait()
    t_exit = time.monotonic()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = {"code": code, "cpu": round(usage.ru_utime + usage.ru_stime, 2), "total": round(t_exit - t0, 2)}
    if "start" in marks and "end" in marks and epochs:
        result.update(
            startup=round(marks["start"] - t0, 2),
            epochs=round(marks["end"] - marks["start"], 2),
            perEpoch=round((marks["end"] - marks["start"]) / epochs, 2),
            teardown=round(t_exit - marks["end"], 2),
            cpuStartup=round(cpu["start"], 2),
            cpuEpochs=round(cpu["end"] - cpu["start"], 2),
            cpuTeardown=round(result["cpu"] - cpu["end"], 2),
        )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
