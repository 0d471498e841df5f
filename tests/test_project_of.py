"""`Project.of` lists each class's resources once, and lists them again after an `add`."""

from __future__ import annotations

from fglint.model import Cluster, Project, Service, SourceFile
from fglint.nodes import ObjectNode, Span


def make(cls: type, name: str) -> object:
    file = SourceFile("x.json", "/x.json", "{}")
    return cls(ObjectNode(Span("x.json", 1, 1, 1, 3)), file, name=name)


def test_of_sees_resources_added_after_it_was_asked() -> None:
    first = make(Service, "a")
    project = Project(resources=[first])  # type: ignore[list-item]
    assert list(project.of(Service)) == [first]
    assert list(project.of(Cluster)) == []
    second, cluster = make(Service, "b"), make(Cluster, "c")
    project.add(second)  # type: ignore[arg-type]
    project.add(cluster)  # type: ignore[arg-type]
    assert list(project.of(Service)) == [first, second]
    assert list(project.of(Cluster)) == [cluster]
    assert project.task_definitions == []
