"""Link resources across files: a service to its task definition, target groups, scaling."""

from __future__ import annotations

from .model import Project, Service, TaskDefinition
from .nodes import as_str


def task_definition_for(service: Service, project: Project) -> TaskDefinition | None:
    """By reference (Terraform, CloudFormation) or by family / family:revision / ARN."""
    node = service.node.get("taskDefinition")
    by_ref = project.resolve(node, TaskDefinition)
    if by_ref is not None:
        return by_ref
    text = as_str(node)
    if not text:
        return None
    family = text.rsplit("/", 1)[-1].split(":", 1)[0]
    matches = [t for t in project.of(TaskDefinition) if t.family == family]
    return matches[0] if len(matches) == 1 else None


def link(project: Project) -> None:
    for service in project.of(Service):
        task = task_definition_for(service, project)
        if task is not None:
            service.task_definition = task
            task.services.append(service)
