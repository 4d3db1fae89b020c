import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from trustdesk.demo.__main__ import main

ARGS = ["--end", "2026-11-20", "--interactions", "150", "--customers", "80", "--seed", "9"]


def test_main_writes_one_json_object_per_line(tmp_path: Path, capsys) -> None:
    out = tmp_path / "demo.jsonl"
    assert main([*ARGS, "--out", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 150
    assert all(json.loads(line)["external_id"] for line in lines)
    assert "150 interactions" in capsys.readouterr().err


def test_output_is_byte_identical_across_processes_with_different_hash_seeds(tmp_path: Path) -> None:
    digests = set()
    for hash_seed in ("1", "4242"):
        out = tmp_path / f"demo-{hash_seed}.jsonl"
        environment = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run([sys.executable, "-m", "trustdesk.demo", *ARGS, "--out", str(out)], check=True,
                       env=environment, capture_output=True)
        digests.add(hashlib.sha256(out.read_bytes()).hexdigest())
    assert len(digests) == 1
