"""Turns every attempt of a Python process to reach another host into an OSError, and logs it.

`worker --offline` puts this folder first on the trainer's PYTHONPATH and names a log file in
HYPEREVOLVE_NET_LOG; the tests do the same. Each blocked attempt appends one line:
`<pid> <event> <what> from <file>:<line> (<function>)`, where <what> is `host:port` for a
lookup or connection and the URL for a urllib request, and the frame is the innermost one of
the trainer's own packages (so the line says who asked). Lookups and connections to loopback,
and local sockets, pass. The trainer sees the same OSError a machine without a network gives,
so the run goes on as it would offline; the worker reads the log afterwards and fails the
trial naming what it tried to fetch.
"""

import os
import sys
import traceback

_LOG = os.environ.get("HYPEREVOLVE_NET_LOG")
_LOCAL = {None, "", "localhost", "127.0.0.1", "::1", "0.0.0.0"}
_TRAINERS = ("ultralytics", "yolov5")


def _target(event, args):
    """(host, what) of an attempt: host None means local, what is what the log line shows."""
    if event == "urllib.Request":
        url = args[0]
        host = url.split("://", 1)[-1].split("/", 1)[0].rsplit("@", 1)[-1].rsplit(":", 1)[0].strip("[]")
        return (host if "://" in url and not url.startswith("file:") else None), url
    if event == "socket.getaddrinfo":
        host, port = args[0], args[1]
    else:  # socket.connect: (socket, address)
        address = args[1]
        if not (isinstance(address, tuple) and len(address) >= 2):
            return None, ""  # AF_UNIX path: local
        host, port = address[0], address[1]
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    return host, f"{host}:{port}"


def _who():
    frames = traceback.extract_stack()[:-3]
    for frame in reversed(frames):
        if any(f"/{name}/" in frame.filename for name in _TRAINERS):
            return f"{frame.filename.rsplit('site-packages/', 1)[-1]}:{frame.lineno} ({frame.name})"
    last = frames[-1] if frames else None
    return f"{last.filename}:{last.lineno} ({last.name})" if last else "?"


def _guard(event, args):
    if event not in ("socket.getaddrinfo", "socket.connect", "urllib.Request"):
        return
    host, what = _target(event, args)
    if host in _LOCAL or (isinstance(host, str) and host.startswith("127.")):
        return
    line = f"{os.getpid()} {event} {what} from {_who()}"
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as f:
            f.write(line + "\n")
    raise OSError(f"network blocked by hyperevolve (worker --offline): {line}")


sys.addaudithook(_guard)
