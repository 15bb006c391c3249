"""Packaging guards: every package folder is listed in pyproject, names are not generic."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CARD = {"tui": "tibet_facts.tui", "store": "tibet_facts.store", "seeds": "tibet_facts.seeds"}


def _config() -> dict[str, object]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools: dict[str, object] = data["tool"]["setuptools"]
    return setuptools


def test_every_package_folder_is_listed() -> None:
    cfg = _config()
    package_dir: dict[str, str] = cfg["package-dir"]  # type: ignore[assignment]
    packages = set(cfg["packages"])  # type: ignore[arg-type]
    folders = {str(p.parent.relative_to(ROOT)) for top in CARD for p in (ROOT / top).rglob("__init__.py")}
    mapped = {folder: name for name, folder in package_dir.items()}
    for folder in folders:
        assert folder in mapped, f"{folder}/ is not mapped in package-dir"
        assert mapped[folder] in packages, f"{mapped[folder]} is not listed in packages"


def test_card_folders_install_under_one_name() -> None:
    package_dir: dict[str, str] = _config()["package-dir"]  # type: ignore[assignment]
    for folder, name in CARD.items():
        assert package_dir[name] == folder
    assert not any(name in CARD for name in package_dir), "no generic top-level package"


def test_seeds_are_package_data_with_a_manifest() -> None:
    from tibet_facts.store.corpus import seed_manifest, seed_sources

    manifest = seed_manifest()
    names = {p.name for p in (ROOT / "seeds").glob("*.txt")}
    assert set(manifest) == names and len(names) == 5
    for meta in manifest.values():
        assert {"title", "publisher", "date", "language", "source"} <= set(meta)
    assert len(seed_sources()) == 5


def test_seeds_are_byte_identical_to_shared() -> None:
    shared = ROOT.parent / "shared" / "seeds"
    if not shared.exists():
        return
    for path in shared.glob("*.txt"):
        assert (ROOT / "seeds" / path.name).read_bytes() == path.read_bytes()


def test_help_does_not_import_textual() -> None:
    code = ("import sys; sys.argv=['tibet-facts','--help']\n"
            "from tibet_facts.tui import cli\n"
            "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
            "assert 'textual' not in sys.modules, 'textual imported'")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr


def test_store_never_imports_ui_packages() -> None:
    for path in (ROOT / "store").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for banned in ("import textual", "from textual", "import typer", "from typer"):
            assert banned not in text, f"{path} has {banned!r}"
