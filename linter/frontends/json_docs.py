"""JSON documents, recognised by content (never by file name).

A register-task-definition input, a describe-task-definition output (`{"taskDefinition": ...}`)
and a bare container-definitions array become task definitions. Other shapes are recognised by
the entries of SHAPES; JSON that matches none (package.json, tsconfig.json...) is ignored.
"""

from __future__ import annotations

from collections.abc import Callable

from ..jsonpos import JsonSyntaxError, parse_json
from ..model import Problem, Project, SourceFile, TaskDefinition
from ..nodes import ListNode, Node, ObjectNode, unknown_templates

Builder = Callable[[Node, SourceFile, Project], bool]


def load(file: SourceFile, project: Project) -> None:
    file.kind = "json"
    try:
        root, duplicates = parse_json(file.text, file.path)
    except JsonSyntaxError as error:
        project.problems.append(Problem("FG001", error.span, f"Invalid JSON: {error.message}"))
        return
    for key, span, first in duplicates:
        project.problems.append(
            Problem(
                "FG004",
                span,
                f"Duplicate key `{key}`: this value replaces the earlier one",
                ((first, "first defined here"),),
            )
        )
    root = unknown_templates(root)
    for build in SHAPES:
        if build(root, file, project):
            return


def is_container(node: Node) -> bool:
    return isinstance(node, ObjectNode) and "image" in node and "name" in node


def task_definition(root: Node, file: SourceFile, project: Project) -> bool:
    if not isinstance(root, ObjectNode):
        return False
    inner = root.obj("taskDefinition")
    node = inner or root
    if not isinstance(node.get("containerDefinitions"), ListNode):
        return False
    shape = "TaskDefinition" if inner else "RegisterTaskDefinitionRequest"
    project.add(TaskDefinition.build(node, file, shape=shape))
    return True


def container_definitions(root: Node, file: SourceFile, project: Project) -> bool:
    if not isinstance(root, ListNode) or not root.items or not all(map(is_container, root)):
        return False
    node = ObjectNode(
        root.span, {"containerDefinitions": root}, {"containerDefinitions": root.span}
    )
    project.add(TaskDefinition.build(node, file, complete=False, shape="ContainerDefinitions"))
    return True


SHAPES: list[Builder] = [task_definition, container_definitions]
