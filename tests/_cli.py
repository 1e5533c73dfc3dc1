"""How the tests run `tl-lessons`: as a user types it (a subprocess), or in this process (fast, for the error paths)."""
import io, sys
from contextlib import redirect_stdout, redirect_stderr
from pathlib import Path

def cli_command() -> list[str]:
    "The installed `tl-lessons` script, else `python -m tl_lessons.cli`"
    exe = Path(sys.executable).parent/'tl-lessons'
    return [str(exe)] if exe.exists() else [sys.executable, '-m', 'tl_lessons.cli']

def run(*argv):
    "Run the command in this process: (exit status, stdout, stderr)"
    from tl_lessons.cli import main
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err): rc = main([str(a) for a in argv])
    return rc, out.getvalue(), err.getvalue()
