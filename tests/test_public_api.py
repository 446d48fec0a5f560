"""The public surface: complete, sorted exports; docstrings; typing marker; no stray deps."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys
from pathlib import Path

import calendly_async
from calendly_async import models


def test_all_is_sorted_and_complete() -> None:
    names = calendly_async.__all__
    dunder = [n for n in names if n.startswith("__")]
    public = [n for n in names if not n.startswith("__")]
    assert public == sorted(public, key=lambda n: (not n.isupper(), n))
    assert dunder == ["__version__"]
    for name in names:
        assert hasattr(calendly_async, name), name
    exported = {
        n for n, v in vars(calendly_async).items()
        if not n.startswith("_") and (inspect.isclass(v) or inspect.isfunction(v))
    }
    assert exported <= set(names), exported - set(names)


def test_every_model_is_exported_from_the_package() -> None:
    for name in models.__all__:
        assert getattr(calendly_async, name) is getattr(models, name), name
    for info in pkgutil.iter_modules(models.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"calendly_async.models.{info.name}")
        for name in getattr(module, "__all__", []):
            assert name in models.__all__, f"{info.name}.{name} is not exported"


def test_every_public_name_has_a_docstring() -> None:
    missing = []
    for info in pkgutil.walk_packages(calendly_async.__path__, "calendly_async."):
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if inspect.isclass(obj) or inspect.isfunction(obj):
                if not (obj.__doc__ or "").strip():
                    missing.append(f"{info.name}.{name}")
                if inspect.isclass(obj):
                    for attr, member in vars(obj).items():
                        if attr.startswith("_") or not inspect.isfunction(member):
                            continue
                        if not (member.__doc__ or "").strip():
                            missing.append(f"{info.name}.{name}.{attr}")
    assert missing == []


def test_py_typed_is_shipped() -> None:
    assert (Path(calendly_async.__file__).parent / "py.typed").exists()


def test_library_source_imports_no_test_dependency_and_never_reads_shared() -> None:
    source = "\n".join(
        p.read_text() for p in Path(calendly_async.__file__).parent.rglob("*.py")
    )
    for forbidden in ("import aioresponses", "import pytest", "../shared", "shared/seed"):
        assert forbidden not in source, forbidden


def test_importing_the_library_loads_neither_the_cli_nor_the_mock_server() -> None:
    import subprocess

    probe = (
        "import sys, calendly_async; "
        "print(sorted(m for m in sys.modules if m in ('calendly_async.cli', "
        "'calendly_async.mock') or m.startswith('calendly_async.mock.')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
