"""Print the Python that `make` builds `.venv/` with.

The system's own Python 3 (/usr/bin/python3) when it is 3.11 or newer and can make a virtual
environment, else `python3` from PATH. Interpreters of the same version differ in speed more
than one would think: a Linux distribution builds its Python with profile-guided and link-time
optimisation, while pyenv builds without them by default. On the development machine, Debian's
/usr/bin/python3.11 played Accord's random games 21 to 42 % faster (30 % in the median of five
side-by-side runs) than pyenv's 3.11.7, which is the `python3` found first on PATH there.

    python3 scripts/pick_python.py          # prints the interpreter, e.g. /usr/bin/python3
    python3 scripts/pick_python.py --why    # and, on stderr, why each candidate was taken or not

Runs with any Python 3 and the standard library only. `make PYTHON=...` skips it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

CANDIDATES = ("/usr/bin/python3", "python3")

# Exits 0 for an interpreter that is 3.11+ and has the venv machinery (Debian ships venv and
# ensurepip in a separate package, python3-venv).
PROBE = "import sys; assert sys.version_info >= (3, 11); import ensurepip, venv"


def usable(command: str) -> str:
    """'' when `command` can build the project's environment, else why not."""
    if shutil.which(command) is None:
        return "not found"
    try:
        done = subprocess.run([command, "-c", PROBE], capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"does not run ({exc})"
    return "" if done.returncode == 0 else "older than 3.11, or without venv/ensurepip"


def main() -> int:
    why = "--why" in sys.argv[1:]
    for command in CANDIDATES:
        problem = usable(command)
        if why:
            print(f"{command}: {problem or 'chosen'}", file=sys.stderr)
        if not problem:
            print(command)
            return 0
    print("python3")  # let `python3 -m venv` say what is wrong
    return 0


if __name__ == "__main__":
    sys.exit(main())
