"""Standard output is a socket whose reader has already gone (a supervisor that stopped reading):
like a pipe's reader that stops early, that is not an error, so the findings' exit code stands.
Usage: socket_reader_gone.py BINARY SOURCE_DIR"""
import socket
import subprocess
import sys

binary, source = sys.argv[1], sys.argv[2]
failed = False
for args, expected in ((["check", "examples/broken"], 1), (["check", "-fsarif", "testdata"], 1),
                       (["list-rules"], 0)):
    ours, theirs = socket.socketpair()
    theirs.close()
    run = subprocess.run([binary] + args, cwd=source, stdout=ours.fileno(),
                         stderr=subprocess.PIPE, check=False)
    ours.close()
    if run.returncode != expected or b"cannot write" in run.stderr:
        print(f"{args}: exit {run.returncode} (expected {expected}): {run.stderr.decode()[:200]}")
        failed = True
sys.exit(1 if failed else 0)
