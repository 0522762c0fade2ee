"""A model built in a worker reaches the build whole, without the schema engines."""

from __future__ import annotations

import pickle
import subprocess
import sys

from sms_handbook.core.build import build_handbook
from sms_handbook.stage.htmlstash import PageStash, read_blocks, without_blocks

from tests.conftest import REPO


def test_the_model_survives_a_pickle_and_its_validators_their_first_use() -> None:
    result = build_handbook(REPO)
    copy = pickle.loads(pickle.dumps(result))
    assert copy.diagnostics == result.diagnostics
    assert [d.source for d in copy.handbook.documents] == [
        d.source for d in result.handbook.documents
    ]
    kind = next(iter(copy.handbook.registers.values())).kind
    assert "fast" not in vars(kind.validator)  # made again only when asked
    record = next(iter(result.handbook.registers.values())).records[0]
    assert kind.validator.is_valid(record.data)


def test_a_received_model_loads_no_schema_engine() -> None:
    script = (
        "import pickle, sys\n"
        "model = pickle.loads(sys.stdin.buffer.read())\n"
        "print(sorted(m for m in ('jsonschema_rs', 'jsonschema') if m in sys.modules))\n"
    )
    data = pickle.dumps(build_handbook(REPO))
    output = subprocess.run(
        [sys.executable, "-c", script], input=data, capture_output=True, check=True
    ).stdout
    assert output.decode().strip() == "[]"


def test_without_blocks_takes_only_the_stage_s_own_blocks_line() -> None:
    stash = PageStash("ab12")
    page = stash.finish("# Title\n\n" + stash.put("<p>x</p>").strip() + "\n")
    assert read_blocks(page.rstrip("\n").rsplit("\n", 1)[-1], "ab12") == ["<p>x</p>"]
    assert without_blocks(page, "ab12") == "# Title\n\nSMSHTMLab12N0\n"
    assert without_blocks(page, "ffff") == page  # another stage's token: left alone
    assert without_blocks("# Title\n", "ab12") == "# Title\n"
