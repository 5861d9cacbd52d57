"""The import contract of docs/ARCHITECTURE.md, read from the source with ``ast``.

Every ``import`` counts: module-level, function-level and ``TYPE_CHECKING``
ones alike. A module may import its own layer's package and the layers below
it, never a layer above, nor a sibling package of its own layer (the
foundation's modules excepted: they may use one another). No two modules
import each other, however indirectly. The dashboard (``dyadwatch.web``)
imports from the API only the names ``dyadwatch.api.__all__`` lists.

Python also runs a package's ``__init__`` before any module inside it; those
implicit imports are not edges here (the root ``dyadwatch`` would otherwise
import everything from everywhere).
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
ROOT = "dyadwatch"

LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "foundation",
        (
            "dyadwatch._deadline",
            "dyadwatch._iterate",
            "dyadwatch._memo",
            "dyadwatch._version",
            "dyadwatch.config",
            "dyadwatch.errors",
            "dyadwatch.model",
            "dyadwatch.ontology",
            "dyadwatch.yaml_nodes",
        ),
    ),
    ("ingest", ("dyadwatch.ingest",)),
    ("nlp", ("dyadwatch.nlp",)),
    ("enrich stages", ("dyadwatch.temporal", "dyadwatch.geo", "dyadwatch.casualties")),
    ("actors", ("dyadwatch.actors",)),
    ("trigger rules", ("dyadwatch.coder.rules",)),
    ("dictionaries", ("dyadwatch.dictionaries",)),
    ("coder", ("dyadwatch.coder",)),
    ("store", ("dyadwatch.store",)),
    ("workflows", ("dyadwatch.workflows",)),
    ("analytics", ("dyadwatch.analytics",)),
    ("evaluate", ("dyadwatch.evaluate",)),  # scorers may read the ledger of a coded store
    ("services", ("dyadwatch.batch", "dyadwatch.watch", "dyadwatch.demo")),
    ("api", ("dyadwatch.api",)),
    ("web", ("dyadwatch.web",)),
    ("facade", (ROOT,)),
    ("cli", ()),  # dyadwatch.cli (a module or a package), dyadwatch.cli_*, dyadwatch.*_cli
)
"""Bottom to top. A module belongs to the layer of its longest matching prefix."""
SHARED = frozenset({"foundation", "cli"})
"""Layers whose packages may import one another (the CLI's command modules do)."""
API = "dyadwatch.api"
WEB = "dyadwatch.web"


@dataclass(frozen=True, slots=True)
class Import:
    """One imported module, with the names taken from it (for ``from … import``)."""

    source: str
    target: str
    names: tuple[str, ...]
    line: int


def modules(src: Path) -> dict[str, Path]:
    """Every module under ``src/dyadwatch``, by dotted name (a package by its own)."""
    found = {}
    for path in sorted((src / ROOT).rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(src: Path) -> list[Import]:
    """Every import of a dyadwatch module by a dyadwatch module, anywhere in its code."""
    known = modules(src)
    found = []
    for name, path in known.items():
        package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            for target, names in _targets(node, name, package, known):
                if target != name:
                    found.append(Import(name, target, names, node.lineno))  # type: ignore[attr-defined]
    return found


def _targets(
    node: ast.AST, name: str, package: bool, known: Mapping[str, Path]
) -> Iterator[tuple[str, tuple[str, ...]]]:
    if isinstance(node, ast.Import):
        for alias in node.names:
            target = _module_of(alias.name, known)
            if target:
                yield target, ()
    elif isinstance(node, ast.ImportFrom):
        base = _absolute(node, name, package)
        for alias in node.names:
            # "from dyadwatch import api" imports the module dyadwatch.api.
            submodule = f"{base}.{alias.name}"
            if submodule in known:
                yield submodule, ()
            else:
                target = _module_of(base, known)
                if target:
                    yield target, (alias.name,)


def _absolute(node: ast.ImportFrom, name: str, package: bool) -> str:
    if not node.level:
        return node.module or ""
    parts = name.split(".") if package else name.split(".")[:-1]
    parts = parts[: len(parts) - node.level + 1]
    return ".".join([*parts, *([node.module] if node.module else [])])


def _module_of(dotted: str, known: Mapping[str, Path]) -> str | None:
    """The deepest dyadwatch module ``dotted`` names (``a.b.Name`` → ``a.b``)."""
    while dotted and dotted not in known:
        dotted = dotted.rpartition(".")[0]
    return dotted or None


def layer_of(module: str) -> tuple[int, str] | None:
    """The layer's index and the member package (the prefix that matched)."""
    top = module.split(".")[1] if "." in module else ""
    if top == "cli" or top.startswith("cli_") or top.endswith("_cli"):
        return len(LAYERS) - 1, f"{ROOT}.{top}"
    best: tuple[int, str] | None = None
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            matches = module == prefix or (prefix != ROOT and module.startswith(prefix + "."))
            if matches and (best is None or len(prefix) > len(best[1])):
                best = (index, prefix)
    return best


def unassigned(src: Path) -> list[str]:
    return [name for name in modules(src) if layer_of(name) is None]


def upward(found: list[Import]) -> list[str]:
    """Imports of a higher layer, or of a sibling package of the same layer."""
    wrong = []
    for item in found:
        source, target = layer_of(item.source), layer_of(item.target)
        if source is None or target is None:
            continue  # reported by unassigned()
        name = LAYERS[source[0]][0]
        sibling = target[0] == source[0] and target[1] != source[1] and name not in SHARED
        if target[0] > source[0] or sibling:
            above = LAYERS[target[0]][0]
            wrong.append(f"{item.source}:{item.line} ({name}) imports {item.target} ({above})")
    return wrong


def cycles(found: list[Import]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    graph: dict[str, set[str]] = {}
    for item in found:
        graph.setdefault(item.source, set()).add(item.target)
        graph.setdefault(item.target, set())
    counter = itertools.count()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = next(counter)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def public_names(src: Path, package: str) -> set[str]:
    """The names a package's ``__init__`` lists in ``__all__``."""
    path = src.joinpath(*package.split("."), "__init__.py")
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            return {ast.literal_eval(element) for element in node.value.elts}  # type: ignore[attr-defined]
    return set()


def private_api_use(src: Path, found: list[Import]) -> list[str]:
    """Imports by the dashboard of anything but the API package's ``__all__``."""
    surface = public_names(src, API)
    wrong = []
    for item in found:
        if not (item.source == WEB or item.source.startswith(WEB + ".")):
            continue
        if item.target.startswith(API + "."):
            wrong.append(f"{item.source}:{item.line} imports {item.target}")
        elif item.target == API and not item.names:
            continue  # "from dyadwatch import api": its attributes are checked by mypy's __all__
        elif item.target == API and set(item.names) - surface:
            wrong.append(f"{item.source}:{item.line} imports {item.names} from {API}")
    return wrong


# -- the contract, on this tree ----------------------------------------------


def test_architecture_every_module_has_a_layer() -> None:
    assert modules(SRC), f"no modules under {SRC}"
    assert unassigned(SRC) == [], "give these a layer here and in docs/ARCHITECTURE.md"


def test_architecture_no_module_imports_upwards() -> None:
    assert upward(imports(SRC)) == []


def test_architecture_the_import_graph_has_no_cycle() -> None:
    assert cycles(imports(SRC)) == []


def test_architecture_web_uses_only_the_api_surface() -> None:
    assert public_names(SRC, API), "dyadwatch.api lists no public names"
    assert private_api_use(SRC, imports(SRC)) == []


def test_architecture_cli_is_the_top_layer_as_a_module_or_a_package() -> None:
    top = len(LAYERS) - 1
    for name in ("dyadwatch.cli", "dyadwatch.cli.serve", "dyadwatch.serve_cli", "dyadwatch.cli_x"):
        assert layer_of(name) is not None and layer_of(name)[0] == top, name  # type: ignore[index]
    assert layer_of("dyadwatch.client") != layer_of("dyadwatch.cli")


# -- the contract catches what it is for -------------------------------------


def _tree(root: Path, files: Mapping[str, str]) -> Path:
    for relative, text in files.items():
        path = root / ROOT / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


_BASE = {
    "__init__.py": "",
    "errors.py": "",
    "nlp/__init__.py": "",
    "nlp/words.py": "from dyadwatch.errors import *\n",
    "store/__init__.py": "",
    "store/schema.py": "",
    "api/__init__.py": '__all__ = ["create_app"]\n',
    "api/_queries.py": "",
    "web/__init__.py": "",
}


def test_architecture_catches_a_planted_upward_import(tmp_path: Path) -> None:
    planted = "def parse() -> None:\n    from ..store import schema\n"
    src = _tree(tmp_path, {**_BASE, "nlp/pipeline.py": planted})
    assert upward(imports(src)) == [
        "dyadwatch.nlp.pipeline:2 (nlp) imports dyadwatch.store.schema (store)"
    ]


def test_architecture_catches_a_planted_sibling_import(tmp_path: Path) -> None:
    files = {"geo/__init__.py": "", "temporal/__init__.py": "import dyadwatch.geo\n"}
    src = _tree(tmp_path, {**_BASE, **files})
    assert upward(imports(src)) == [
        "dyadwatch.temporal:1 (enrich stages) imports dyadwatch.geo (enrich stages)"
    ]


def test_architecture_catches_a_planted_cycle(tmp_path: Path) -> None:
    files = {"nlp/a.py": "from dyadwatch.nlp import b\n", "nlp/b.py": "import dyadwatch.nlp.a\n"}
    src = _tree(tmp_path, {**_BASE, **files})
    assert cycles(imports(src)) == [["dyadwatch.nlp.a", "dyadwatch.nlp.b"]]


@pytest.mark.parametrize(
    "line",
    [
        "from dyadwatch.api._queries import find_mentions\n",
        "from dyadwatch.api import _queries\n",
        "from dyadwatch.api import find_mentions\n",
    ],
)
def test_architecture_catches_the_dashboard_using_api_internals(tmp_path: Path, line: str) -> None:
    src = _tree(tmp_path, {**_BASE, "web/pages.py": line})
    assert len(private_api_use(src, imports(src))) == 1
    allowed = _tree(tmp_path, {"web/pages.py": "from dyadwatch.api import create_app\n"})
    assert private_api_use(allowed, imports(allowed)) == []


def test_architecture_catches_a_module_without_a_layer(tmp_path: Path) -> None:
    src = _tree(tmp_path, {**_BASE, "plugins/__init__.py": ""})
    assert unassigned(src) == ["dyadwatch.plugins"]
