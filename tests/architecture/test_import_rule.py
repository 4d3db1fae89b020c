"""The import rule of ARCHITECTURE.md, enforced with import-linter's contracts from pyproject.toml."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_layers_and_pure_core_contracts_hold():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports), "--config", str(ROOT / "pyproject.toml")], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_top_level_module_is_named_in_architecture_md():
    architecture = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    package = ROOT / "src" / "trustdesk"
    names = {p.name for p in package.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    names |= {p.name for p in (package / "core").iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    missing = sorted(name for name in names if f"{name}/" not in architecture and f"{name}.py" not in architecture)
    assert not missing, f"ARCHITECTURE.md does not mention: {missing}"
