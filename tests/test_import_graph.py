"""No module of the product imports itself back, however long the chain.

``lint-imports`` (the contracts in pyproject.toml) checks the layering and that sibling modules
import one way at every level; this test looks at single modules, package ``__init__`` files
included, so that a cycle through a package's ``__init__`` cannot hide either.
"""

from __future__ import annotations

import grimp

PACKAGES = ("assessment", "reports", "models", "webapp")


def cycles_of(graph: grimp.ImportGraph) -> list[tuple[str, ...]]:
    """Every import ``a -> b`` whose module ``b`` leads back to ``a``, as the closed chain
    ``(a, b, ..., a)``; empty when the graph has no cycle."""
    cycles = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back is not None:
                cycles.append((importer, *back))
    return cycles


def test_no_module_of_the_product_is_part_of_an_import_cycle() -> None:
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    assert {"webapp.app", "webapp.jobs", "assessment.types"} <= graph.modules
    assert cycles_of(graph) == []


def test_the_cycle_check_finds_a_cycle_through_a_package_init() -> None:
    graph = grimp.ImportGraph()
    for module in ("pkg", "pkg.app", "pkg.jobs", "pkg.views"):
        graph.add_module(module)
    graph.add_import(importer="pkg", imported="pkg.app")
    graph.add_import(importer="pkg.app", imported="pkg.views")
    graph.add_import(importer="pkg.views", imported="pkg.jobs")
    graph.add_import(importer="pkg.jobs", imported="pkg")  # ``from pkg import create_app``
    assert ("pkg.jobs", "pkg", "pkg.app", "pkg.views", "pkg.jobs") in cycles_of(graph)
    assert len(cycles_of(graph)) == 4  # each of the four imports closes the same cycle
