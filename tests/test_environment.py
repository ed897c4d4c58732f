"""pyproject.toml and environment.yml must list the same dependencies."""

from __future__ import annotations

import re
import tomllib

import yaml

from helpers.config import PROJ_ROOT

_NAME = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$")


def _split(requirement: str) -> tuple[str, str]:
    match = _NAME.match(requirement)
    assert match, requirement
    name = match.group(1).lower().replace("_", "-")
    spec = match.group(2).replace(" ", "")
    return name, spec


def _pyproject() -> dict[str, str]:
    data = tomllib.loads((PROJ_ROOT / "pyproject.toml").read_text())
    project = data["project"]
    reqs = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        reqs += extra
    return dict(_split(r) for r in reqs)


def _environment() -> tuple[dict[str, str], list[str]]:
    env = yaml.safe_load((PROJ_ROOT / "environment.yml").read_text())
    deps: dict[str, str] = {}
    pip_entries: list[str] = []
    for entry in env["dependencies"]:
        if isinstance(entry, dict):
            pip_entries += entry.get("pip", [])
            continue
        name, spec = _split(entry)
        if name not in {"python", "pip"}:
            deps[name] = spec
    for entry in pip_entries:
        if entry.startswith("-e"):
            continue
        name, spec = _split(entry)
        deps[name] = spec
    return deps, pip_entries


def test_same_dependency_names_and_bounds():
    py = _pyproject()
    env, _ = _environment()
    assert set(py) == set(env), (
        f"only in pyproject: {sorted(set(py) - set(env))}; "
        f"only in environment.yml: {sorted(set(env) - set(py))}"
    )
    different = {n: (py[n], env[n]) for n in py if py[n] != env[n]}
    assert not different, f"version bounds differ: {different}"


def test_environment_installs_project_editable_from_conda_forge():
    env = yaml.safe_load((PROJ_ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    _, pip_entries = _environment()
    assert "-e ." in pip_entries


def test_every_dependency_has_a_lower_bound():
    for name, spec in _pyproject().items():
        assert ">=" in spec, f"{name} has no lower bound"
