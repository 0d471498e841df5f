"""Lookups by name or address go through indexes (`Project.where`, `Project.file_at`,
`linker.named_in`) and find what a scan of every resource finds."""

from __future__ import annotations

import random

from fglint.linker import named_in, names
from fglint.model import Project, Service, SourceFile, TaskDefinition
from fglint.nodes import ObjectNode, Span, UnknownNode


def make(cls: type, address: str, path: str = "a/x.tf") -> object:
    file = SourceFile(path, "/" + path, "")
    return cls(ObjectNode(Span(path, 1, 1, 1, 3)), file, name=address, address=address)


def by_name(service: Service) -> str:
    return service.name


def test_where_sees_resources_added_and_a_replaced_list() -> None:
    first = make(Service, "web")
    project = Project(resources=[first])  # type: ignore[list-item]
    assert project.where(Service, by_name, "web") == [first]
    second = make(Service, "web", "b/x.tf")
    project.add(second)  # type: ignore[arg-type]
    assert project.where(Service, by_name, "web") == [first, second]
    assert project.where(TaskDefinition, by_name, "web") == []
    project.resources = [second]  # type: ignore[list-item]
    assert project.where(Service, by_name, "web") == [second]
    project.resources.remove(second)  # type: ignore[arg-type]
    third = make(Service, "web", "c/x.tf")
    project.add(third)  # type: ignore[arg-type]
    assert project.where(Service, by_name, "web") == [third]


def test_file_at_sees_files_appended_after_it_was_asked() -> None:
    project = Project()
    one = SourceFile("a.json", "/a.json", "")
    project.files.append(one)
    assert project.file_at("/a.json") is one and project.file_at("/b.json") is None
    two = SourceFile("b.json", "/b.json", "")
    project.files.append(two)
    project.files.append(SourceFile("b.json", "/b.json", ""))
    assert project.file_at("/b.json") is two
    project.files.remove(one)  # a skipped file is removed, then another appended
    project.files.remove(two)
    three = SourceFile("c.json", "/c.json", "")
    project.files.append(three)
    assert project.file_at("/a.json") is None and project.file_at("/c.json") is three
    assert project.file_at("/b.json") is project.files[0]


def test_resolve_keeps_to_the_folder() -> None:
    here, there = (
        make(Service, "aws_ecs_service.web"),
        make(Service, "aws_ecs_service.web", "b/y.tf"),
    )
    project = Project(resources=[here, there])  # type: ignore[list-item]
    ref = UnknownNode(
        Span("a/main.tf", 1, 1, 1, 2), "aws_ecs_service.web.id", "aws_ecs_service.web"
    )
    assert project.resolve(ref, Service) is here
    assert project.resolve(ref, TaskDefinition) is None


WORDS = ["svc", "Svc", "aws_ecs_service.app", "app", "a-b", "x.y.z", "my svc", "a#Svc", "é"]
JOINS = ["", ".", "/", "${", "}", " ", "-", "_", ".name", "#"]


def test_named_in_finds_what_a_scan_finds() -> None:
    rng = random.Random(7)
    for _ in range(300):
        resources = []
        for _ in range(rng.randint(1, 6)):
            path = rng.choice(["a/x.tf", "a/t.yaml", "b/t.yaml"])
            address = rng.choice(WORDS)
            if rng.random() < 0.4:
                address = f"{path}#{rng.choice(['Svc', 'App', 'A-b'])}"
            resources.append(make(Service, address, path))
        project = Project(resources=resources)  # type: ignore[arg-type]
        text = "".join(rng.choice(WORDS + JOINS) for _ in range(rng.randint(1, 8)))
        node = UnknownNode(Span(rng.choice(["a/x.tf", "a/t.yaml"]), 1, 1, 1, 2), text)
        expected = [r for r in resources if names(node, r)]
        found = named_in(node, Service, project)
        assert sorted(map(id, found)) == sorted(map(id, expected)), (text, expected)


def test_a_packed_text_reads_back_the_same() -> None:
    text = "a = 1\r\nb = 2\n\ud800 \u00e9\n"
    file = SourceFile("a.tf", "/a.tf", text)
    assert file.line(2) == "b = 2"
    file.pack()
    assert "_text" not in file.__dict__ and "lines" not in file.__dict__
    assert file.text == text and file.line(3) == "\ud800 \u00e9"
    file.pack()
    file.text = "changed"
    file.pack()
    assert file.text == "changed" and SourceFile("b", "/b", "").text == ""
