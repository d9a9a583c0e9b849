"""Turns every attempt of a Python process to reach another host into an OSError, and logs it.

Put this folder first on PYTHONPATH and name a log file in HYPEREVOLVE_NET_LOG. Each blocked
attempt appends one line: `<pid> <event> <host>:<port> from <file>:<line>` (the innermost frame
of the trainer's own packages, so the line says who asked). Lookups and connections to
loopback, and local sockets, pass. The trainer sees the same OSError a machine without a
network gives, so the run goes on as it would offline, and a test reads the log to prove that
nothing tried.
"""

import os
import sys
import traceback

_LOG = os.environ.get("HYPEREVOLVE_NET_LOG")
_LOCAL = {None, "", "localhost", "127.0.0.1", "::1", "0.0.0.0"}
_OWN = ("ultralytics", "yolov5", "torch", "requests", "urllib", "huggingface_hub", "matplotlib")


def _host_port(event, args):
    if event == "socket.getaddrinfo":
        return args[0], args[1]
    address = args[1]  # socket.connect: (socket, address)
    if isinstance(address, tuple) and len(address) >= 2:
        return address[0], address[1]
    return None, None  # AF_UNIX path: local


def _who():
    frames = traceback.extract_stack()[:-3]
    for frame in reversed(frames):
        if any(f"/{name}/" in frame.filename for name in _OWN[:2]):
            return f"{frame.filename.rsplit('site-packages/', 1)[-1]}:{frame.lineno}"
    last = frames[-1] if frames else None
    return f"{last.filename}:{last.lineno}" if last else "?"


def _guard(event, args):
    if event not in ("socket.getaddrinfo", "socket.connect"):
        return
    host, port = _host_port(event, args)
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    if host in _LOCAL or (isinstance(host, str) and host.startswith("127.")):
        return
    line = f"{os.getpid()} {event} {host}:{port} from {_who()}"
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as f:
            f.write(line + "\n")
    raise OSError(f"network blocked by hyperevolve's test guard: {line}")


sys.addaudithook(_guard)
