"""`mlflow server …` in one Python process.

    .venv/bin/python infra/mlflow/serve.py server --host … --port … [every `mlflow server` option]

`mlflow server` imports MLflow, checks its options and prepares the stores, then starts uvicorn as
a second Python process that imports MLflow again: two imports of several seconds of CPU each, on
every stack start (the test suite starts dozens). This runs the same command, with the same
options and checks, but the uvicorn command MLflow builds is run in this process
(`uvicorn.main.main` with the same arguments and environment), so MLflow is imported once.
It hooks `mlflow.server._exec_cmd`, which MLflow 3.17 (pinned in infra/requirements.txt) calls to
start uvicorn; should a later MLflow not, the server just runs as two processes again
(test/foundation/stack.test.ts notices).

Only the uvicorn case is taken over (the one `correctly stack up` uses); a command MLflow would
run otherwise (gunicorn, waitress) runs as MLflow runs it. MLflow's job runner is turned off: its
background workers (huey consumers, ~8 Python processes) serve GenAI features Correctly does not
use, and MLflow starts it after the server process, which here returns only when the server has
stopped.
"""
from __future__ import annotations

import os
import sys

import mlflow.server
from mlflow.cli import cli
from mlflow.utils.process import _exec_cmd as run_as_a_process


class _Finished:
    """What `_run_server` expects back from starting its server: a process it then waits on."""

    pid = os.getpid()

    def poll(self) -> int:
        return 0

    def wait(self) -> int:
        return 0

    def send_signal(self, _signum: int) -> None:
        pass


def _exec_in_process(cmd, extra_env=None, **kwargs):
    # ["<python>", "-m", "uvicorn", *args]: uvicorn's own command line, run here until it stops.
    if len(cmd) > 3 and list(cmd[1:3]) == ["-m", "uvicorn"] and not kwargs.get("synchronous", True):
        from uvicorn.main import main as uvicorn_command

        os.environ.update({k: str(v) for k, v in (extra_env or {}).items()})
        try:
            uvicorn_command.main(args=list(cmd[3:]), prog_name="uvicorn", standalone_mode=False)
        except SystemExit as e:  # uvicorn exits non-zero when it cannot start (a port in use)
            if e.code:
                raise
        return _Finished()
    return run_as_a_process(cmd, extra_env=extra_env, **kwargs)


mlflow.server._exec_cmd = _exec_in_process
os.environ["MLFLOW_SERVER_ENABLE_JOB_EXECUTION"] = "false"

if __name__ == "__main__":
    sys.exit(cli(prog_name="mlflow"))
