"""The architecture's rules, read from the code: one place knows the order of audiences, no
import cycles, no function of the package over 60 lines, few and explained type-checker
exceptions."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from tests.conftest import REPO

PACKAGE = REPO / "plugins" / "sms_handbook"
# The audience object and scoping are the only modules that know the audiences' order.
KNOWS_THE_ORDER = {"core/audience.py", "core/scope.py"}
ORDER_FUNCTIONS = {"_rank"}
LONGEST_FUNCTION = 60
TYPE_IGNORES = 11  # no more than when this rule was set (2026-12-07)


def modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.relative_to(PACKAGE).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def order_readings(tree: ast.Module) -> list[str]:
    """Where a module reads the audiences' order: the first or last audience, an audience's
    position, or the rank function."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("lowest", "highest"):
            found.append(f"line {node.lineno}: .{node.attr}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "rank"
        ):
            found.append(f"line {node.lineno}: .rank()")
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "audiences"
        ):
            found.append(f"line {node.lineno}: audiences[...]")
        elif isinstance(node, ast.Attribute) and node.attr == "index":
            owner = node.value
            if isinstance(owner, ast.Attribute) and owner.attr == "audiences":
                found.append(f"line {node.lineno}: audiences.index")
        elif isinstance(node, ast.Name) and node.id in ORDER_FUNCTIONS:
            found.append(f"line {node.lineno}: {node.id}")
        elif isinstance(node, ast.ImportFrom) and any(
            alias.name in ORDER_FUNCTIONS for alias in node.names
        ):
            found.append(f"line {node.lineno}: imports the rank function")
    return found


def test_only_scope_and_the_audience_object_know_the_order_of_audiences() -> None:
    offenders = {
        name: readings
        for name, tree in modules()
        if name not in KNOWS_THE_ORDER and (readings := order_readings(tree))
    }
    assert offenders == {}, "ask the audience object (core/audience.py) instead"


def test_the_order_check_finds_what_it_looks_for() -> None:
    source = (
        "a = settings.lowest\nb = view.settings.highest\nc = s.rank('x')\n"
        "d = settings.audiences[0]\ne = settings.audiences.index('x')\nf = _rank(s, 'x')\n"
    )
    assert len(order_readings(ast.parse(source))) == 6
    assert order_readings(ast.parse("for a in settings.audiences:\n    print(a)\n")) == []


def long_functions(tree: ast.Module) -> list[str]:
    return [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > LONGEST_FUNCTION
    ]


def test_no_function_of_the_package_is_over_60_lines() -> None:
    offenders = {name: found for name, tree in modules() if (found := long_functions(tree))}
    assert offenders == {}


def module_name(relative: str) -> str:
    parts = ["sms_handbook", *relative.removesuffix(".py").split("/")]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def module_imports(name: str, tree: ast.Module, known: set[str]) -> set[str]:
    """Modules of the package that `name` imports when it is loaded or type-checked (imports
    inside functions run later and are left out)."""
    is_package = any(other.startswith(name + ".") for other in known)
    base = name.split(".") if is_package else name.split(".")[:-1]
    found: set[str] = set()

    def visit(statements: list[ast.stmt]) -> None:
        for node in statements:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if isinstance(node, ast.ImportFrom):
                parts = base[: len(base) - node.level + 1] if node.level else []
                target = ".".join([*parts, *(node.module.split(".") if node.module else [])])
                for alias in node.names:
                    full = f"{target}.{alias.name}"
                    found.add(full if full in known else target)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            for block in ("body", "orelse", "finalbody"):
                visit(getattr(node, block, []) if not isinstance(node, ast.ClassDef) else [])
            for handler in getattr(node, "handlers", []):
                visit(handler.body)
            if isinstance(node, ast.ClassDef):
                visit(node.body)

    visit(tree.body)
    return (found & known) - {name}


def import_cycles() -> list[list[str]]:
    trees = {module_name(relative): tree for relative, tree in modules()}
    known = set(trees)
    graph = {name: module_imports(name, tree, known) for name, tree in trees.items()}
    cycles: list[list[str]] = []
    done: set[str] = set()

    def walk(node: str, path: list[str]) -> None:
        if node in path:
            cycles.append([*path[path.index(node) :], node])
            return
        if node in done:
            return
        for following in sorted(graph[node]):
            walk(following, [*path, node])
        done.add(node)

    for start in sorted(graph):
        walk(start, [])
    return cycles


def test_no_import_cycle_type_checking_imports_included() -> None:
    assert import_cycles() == []


def test_type_checker_exceptions_are_few_and_each_says_why() -> None:
    found = []
    for path in sorted([*PACKAGE.rglob("*.py"), *(REPO / "hooks").glob("*.py")]):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "type: ignore" in line:
                found.append((f"{path.relative_to(REPO)}:{number}", line))
    assert len(found) <= TYPE_IGNORES, [where for where, _ in found]
    unexplained = [
        where for where, line in found if not re.search(r"type: ignore\[[^\]]+\]\s+#\s*\S", line)
    ]
    assert unexplained == [], "say why after the ignore: `# type: ignore[code]  # why`"


def test_the_structure_checks_see_type_checking_imports_and_long_functions() -> None:
    trees = {
        "sms_handbook.a": ast.parse("from . import b\n"),
        "sms_handbook.b": ast.parse(
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import x\n"
        ),
    }
    known = set(trees) | {"sms_handbook"}
    assert module_imports("sms_handbook.a", trees["sms_handbook.a"], known) == {"sms_handbook.b"}
    assert module_imports("sms_handbook.b", trees["sms_handbook.b"], known) == {"sms_handbook.a"}
    assert long_functions(ast.parse("def f():\n" + "    x = 1\n" * 61)) == ["f (62 lines)"]
