"""One progress line per step with its duration, and the one error a command prints."""

import contextlib
import subprocess
import sys
import time


class SetupError(Exception):
    """Something the user must fix: what failed and what to do, printed without a traceback."""

    def __init__(self, what, todo=""):
        super().__init__(what)
        self.what = what
        self.todo = todo

    def __str__(self):
        return f"{self.what}\n  {self.todo}" if self.todo else self.what


def say(message):
    print(message, flush=True)


@contextlib.contextmanager
def step(label):
    """Print ``label`` and, once the block is done, how long it took (or that it failed)."""
    start = time.monotonic()
    print(f"- {label} ...", end="", flush=True)
    try:
        yield
    except BaseException:
        print(f" failed after {time.monotonic() - start:.1f} s", flush=True)
        raise
    print(f" {time.monotonic() - start:.1f} s", flush=True)


def run_main(main):
    """Run a command's ``main``; a SetupError becomes one clear message and exit code 2.

    So does a program that could not run or timed out (OSError, SubprocessError) where no step
    turned it into a SetupError: the message names the program, and no traceback hides it.
    """
    try:
        return main()
    except SetupError as error:
        print(f"\nerror: {error}", file=sys.stderr, flush=True)
        sys.exit(2)
    except (OSError, subprocess.SubprocessError) as error:
        print(f"\nerror: {one_line(error)}", file=sys.stderr, flush=True)
        sys.exit(2)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr, flush=True)
        sys.exit(130)


def one_line(error):
    """An OSError or SubprocessError as one readable line (what failed, and why)."""
    if isinstance(error, subprocess.CalledProcessError):
        output = error.stderr or error.output or ""
        if isinstance(output, bytes):
            output = output.decode(errors="replace")
        last = output.strip().splitlines()[-1:] or [f"exit code {error.returncode}"]
        return f"{_program(error.cmd)} failed: {last[0]}"
    if isinstance(error, subprocess.TimeoutExpired):
        return f"{_program(error.cmd)} did not answer within {error.timeout:g} s"
    return str(error) or type(error).__name__


def _program(cmd):
    return cmd if isinstance(cmd, str) else " ".join(str(part) for part in cmd[:2])
