"""Work beside the engine (background.py): the result is always the one the calling process
would compute; a child that fails, or logs a warning, is replaced by the work done here.

Each case runs in a fresh Python process: pytest's workers have threads, and a process with
threads never forks (which is one of the rules tested here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

PRELUDE = """
import json, logging, os, sys, threading, time
from sms_handbook.background import Background
parent = os.getpid()
def report(**values):
    print(json.dumps(values))
"""


def run(script: str, **env: str) -> dict:
    environment = {k: v for k, v in os.environ.items() if k != "SMS_WORKERS"}
    result = subprocess.run(
        [sys.executable, "-c", PRELUDE + textwrap.dedent(script)],
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    return {**json.loads(lines[-1]), "stderr": result.stderr}


def test_the_work_runs_in_a_child_with_the_messages_sent_meanwhile() -> None:
    found = run(
        """
        work = Background(
            lambda channel: (os.getpid(), [m * 2 for m in channel.messages]), beside=True
        )
        for number in range(1000):
            work.send(number)
        pid, doubled = work.result()
        report(forked=pid != parent, doubled=doubled, again=work.result()[1] == doubled)
        """
    )
    assert found["forked"] is True
    assert found["doubled"] == [n * 2 for n in range(1000)]
    assert found["again"] is True


def test_a_child_that_fails_is_replaced_by_the_work_done_here() -> None:
    found = run(
        """
        def work(channel):
            values = list(channel.messages)
            if os.getpid() != parent:
                raise RuntimeError("only in the child")
            return os.getpid(), values
        background = Background(work, beside=True)
        forked = background.forked
        background.send("a")
        background.send("b")
        pid, values = background.result()
        report(forked=forked, here=pid == parent, values=values)
        """
    )
    assert found == {"forked": True, "here": True, "values": ["a", "b"], "stderr": ""}


def test_the_error_of_the_work_is_the_one_raised_here_with_its_traceback() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            PRELUDE
            + textwrap.dedent(
                """
                def work(channel):
                    raise ValueError("the register at registers/risks.yaml:3 is wrong")
                Background(work, beside=True).result()
                """
            ),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "ValueError: the register at registers/risks.yaml:3 is wrong" in result.stderr
    assert result.stderr.count("ValueError") == 1


def test_a_warning_logged_by_a_child_is_logged_by_this_process_instead() -> None:
    """A warning must reach the log the engine counts (`--strict`): the child's would not."""
    found = run(
        """
        logging.basicConfig(format="%(levelname)s %(message)s")
        log = logging.getLogger("mkdocs.plugins.test")
        def work(channel):
            log.warning("a warning from pid %s", "child" if os.getpid() != parent else "parent")
            return os.getpid()
        background = Background(work, beside=True)
        report(forked=background.forked, here=background.result() == parent)
        """
    )
    assert found["forked"] is True and found["here"] is True
    assert found["stderr"].splitlines() == ["WARNING a warning from pid parent"]


def test_no_child_with_threads_running_or_when_turned_off() -> None:
    script = """
        stop = threading.Event()
        if os.environ.get("WITH_THREAD"):
            threading.Thread(target=stop.wait, daemon=True).start()
        background = Background(lambda channel: os.getpid(), beside=True)
        here = background.result() == parent
        stop.set()
        report(here=here)
        """
    assert run(script, WITH_THREAD="1")["here"] is True
    assert run(script, SMS_WORKERS="0")["here"] is True
    assert run(script)["here"] is False  # the same script forks when allowed
    assert run(script.replace("beside=True", "beside=False"))["here"] is True


def test_cancel_stops_the_child_at_once() -> None:
    found = run(
        """
        background = Background(lambda channel: time.sleep(600), beside=True)
        pid = background._pid
        started = time.monotonic()
        background.cancel()
        try:
            os.kill(pid, 0)
            alive = True
        except ProcessLookupError:
            alive = False
        report(forked=pid is not None, alive=alive, seconds=time.monotonic() - started)
        """
    )
    assert found["forked"] is True
    assert found["alive"] is False
    assert found["seconds"] < 10
