"""Starts a command as systemd's socket activation would: binds a listening socket, puts it at
fd 3, sets LISTEN_PID (this process, which becomes the command), LISTEN_FDS and LISTEN_FDNAMES,
and execs the command. Prints "bound ADDRESS" first.

usage: systemd_launcher.py inet NAME -- COMMAND...
       systemd_launcher.py unix NAME PATH -- COMMAND...
       systemd_launcher.py inetd NAME -- COMMAND...   (the socket on fd 0 instead, as inetd does)
"""
import os
import socket
import sys

args = sys.argv[1:]
split = args.index("--")
kind, name, rest, command = args[0], args[1], args[2:split], args[split + 1:]
if kind in ("inet", "inetd"):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    address = "%s:%d" % listener.getsockname()
else:
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(rest[0])
    address = rest[0]
listener.listen(128)
target = 0 if kind == "inetd" else 3
if listener.fileno() != target:
    os.dup2(listener.fileno(), target)  # the original closes on exec
os.set_inheritable(target, True)  # a socket Python made is not (dup2 onto itself changes nothing)
env = dict(os.environ, LISTEN_PID=str(os.getpid()), LISTEN_FDS="1", LISTEN_FDNAMES=name)
print("bound " + address, flush=True)
os.execve(command[0], command, env)
