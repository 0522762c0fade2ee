"""Whole-process measurements: wall time and peak memory of each command, run in turns."""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SMS_TODAY": "2026-11-27", "SMS_WORKERS": ""}


def compiled(package: Path) -> None:
    """Write the bytecode of `package`'s modules now, as installing a wheel does. With an
    editable install and PYTHONDONTWRITEBYTECODE set (some shells set it), every measured
    build would otherwise compile the whole package from source again: about 0.1 s of CPU
    that no installed copy pays."""
    compileall.compile_dir(package, quiet=1)


@dataclass
class Sample:
    seconds: float
    peak_mb: float
    code: int = 0
    output: str = ""
    cpu: float = 0.0  # user and system CPU seconds of the command's processes


@dataclass
class Series:
    name: str
    samples: list[Sample] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def peak(self) -> float:
        return max(s.peak_mb for s in self.samples)

    @property
    def cpu_median(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    def cpu_spread(self) -> str:
        low = min(s.cpu for s in self.samples)
        high = max(s.cpu for s in self.samples)
        return f"{self.cpu_median:.1f} s CPU ({low:.1f}-{high:.1f})"

    def spread(self) -> str:
        low = min(s.seconds for s in self.samples)
        high = max(s.seconds for s in self.samples)
        return f"{self.median:.2f} s ({low:.2f}-{high:.2f})"


def run(command: list[str], cwd: Path, *, check: bool = True) -> Sample:
    """Run one command to its end; its peak memory comes from `os.wait4`."""
    started = time.monotonic()
    process = subprocess.Popen(
        command, cwd=cwd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    assert process.stdout is not None
    with process.stdout:
        output = process.stdout.read().decode(errors="replace")
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.monotonic() - started
    code = process.returncode = os.waitstatus_to_exitcode(status)  # reaped: tell Popen
    if check and code != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{output[-2000:]}")
    cpu = usage.ru_utime + usage.ru_stime  # its workers' too, once it has waited for them
    return Sample(elapsed, usage.ru_maxrss / 1024, code, output, cpu)


def alternate(commands: dict[str, list[str]], cwd: Path, repeats: int) -> dict[str, Series]:
    """Run the commands in turn, `repeats` rounds, so that drift hits all of them alike."""
    series = {name: Series(name) for name in commands}
    for round_number in range(repeats):
        for name, command in commands.items():
            sample = run(command, cwd)
            series[name].samples.append(sample)
            print(
                f"  round {round_number + 1}: {name}: "
                f"{sample.seconds:.2f} s, {sample.peak_mb:.0f} MB, {sample.cpu:.1f} s CPU",
                flush=True,
            )
    return series
