"""The layers of the apps hold: no import circles, and `make lint`'s contracts fail on an import that breaks them.

docs/architecture.md says what the layers are; pyproject.toml declares them as import-linter contracts.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def strongly_connected(graph):
    """Tarjan's algorithm over grimp's graph: the sets of modules that import each other in a circle."""
    index, low, stack, on_stack, circles = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            circle = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                circle.add(member)
                if member == module:
                    break
            if len(circle) > 1:
                circles.append(sorted(circle))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return circles


def test_no_module_of_the_apps_or_the_project_imports_itself_in_a_circle():
    # grimp reads every import statement, those inside functions too.
    graph = grimp.build_graph("safety_pages", "search", "intranet")
    assert strongly_connected(graph) == []


def run_lint_imports(tree):
    env = {**os.environ, "PYTHONPATH": f"{tree}{os.pathsep}{tree / 'site'}"}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=tree, env=env, capture_output=True, text=True)


@pytest.fixture
def tree(tmp_path):
    """A copy of the tracked sources, so a test can break an import without touching the checkout."""
    files = subprocess.run(["git", "ls-files", "*.py", "pyproject.toml"], cwd=ROOT, capture_output=True, text=True)
    for name in files.stdout.split():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    return tmp_path


def test_the_import_contracts_hold_and_catch_a_model_that_imports_a_feature_package(tree):
    assert run_lint_imports(tree).returncode == 0

    site = tree / "safety_pages" / "models" / "site.py"
    site.write_text(site.read_text() + "\nfrom safety_pages.followup import rules  # noqa: E402, F401\n")
    broken = run_lint_imports(tree)

    assert broken.returncode != 0
    assert "safety_pages.models is not allowed to import safety_pages.followup" in broken.stdout


def test_search_may_not_import_the_models_of_safety_pages(tree):
    signals = tree / "search" / "signals.py"
    signals.write_text(signals.read_text() + "\nfrom safety_pages.models import Person  # noqa: E402, F401\n")
    broken = run_lint_imports(tree)

    assert broken.returncode != 0
    assert "search is not allowed to import safety_pages.models" in broken.stdout
