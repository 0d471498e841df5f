"""Facts about ECS services and their load balancing, shared by the linker and the service rules.

Every question answers None when the configuration does not say (an expression, a placeholder,
an update-service input that leaves the setting unchanged): rules stay silent on None.
"""

from __future__ import annotations

from fglint.aws.facts import DEFAULT_DEREGISTRATION_DELAY, DEFAULT_STOP_TIMEOUT
from fglint.linker import awsvpc_configuration as awsvpc_configuration  # for rules
from fglint.linker import load_balancers as load_balancers  # for rules
from fglint.linker import partial as partial  # for rules
from fglint.linker import refers_to
from fglint.model import Container, Service, TargetGroup, TaskDefinition
from fglint.nodes import Node, ObjectNode, UnknownNode, as_int, as_str

# Target groups whose missing DeregistrationDelay means the ELBv2 default. A describe output or
# a modify-attributes input only tells what it says.
_DEFAULTS_KNOWN = ("", "CreateTargetGroupRequest")


def _names_balancer(entry: ObjectNode) -> bool | None:
    for key in ("targetGroupArn", "loadBalancerName"):
        value = entry.get(key)
        if isinstance(value, UnknownNode):
            return True
        if value is not None:
            return True if as_str(value) else None  # "" is a placeholder
    return None


def load_balanced(service: Service) -> bool | None:
    entries = load_balancers(service)
    if entries is None:
        return None
    verdicts = [_names_balancer(entry) for entry in entries]
    if True in verdicts:
        return True
    return False if not entries else None


def target_groups_of(service: Service, entry: ObjectNode) -> list[TargetGroup]:
    """The linked target groups one `loadBalancers` entry names (a definition, its attributes)."""
    node = entry.get("targetGroupArn")
    return [group for group in service.target_groups if refers_to(node, group)]


def deregistration_delay(groups: list[TargetGroup]) -> tuple[int, Node | None, TargetGroup] | None:
    """(seconds, the node that sets it or None for the default, the group); None when unknown."""
    for group in groups:
        node = group.node.get("DeregistrationDelay")
        if node is not None:
            value = as_int(node)
            return (value, node, group) if value is not None else None
    for group in groups:
        if group.shape in _DEFAULTS_KNOWN:
            return DEFAULT_DEREGISTRATION_DELAY, None, group
    return None


def container_named(task: TaskDefinition, name: Node | None) -> Container | None:
    """The task's container with this name; None when the name or the containers are unknown."""
    text = as_str(name)
    if not text or not containers_known(task):
        return None
    matches = [c for c in task.containers if c.node.str("name") == text]
    return matches[0] if len(matches) == 1 else None


def containers_known(task: TaskDefinition) -> bool:
    """True when every container definition and its name is written out (not an expression)."""
    if not task.containers or not task.all_containers_known:
        return False
    return all(c.node.str("name") for c in task.containers)


def stop_timeout(container: Container) -> tuple[int | None, Node | None]:
    """(seconds, the node that sets it); the default when unset; (None, node) when unknown."""
    node = container.node.get("stopTimeout")
    if node is None:
        return DEFAULT_STOP_TIMEOUT, None
    return as_int(node), node


def awsvpc(service: Service) -> bool | None:
    """Does the service run its tasks in awsvpc mode? Fargate always does."""
    task = service.task_definition
    if task is not None:
        mode = task.network_mode
        if mode:
            return mode == "awsvpc"
        if task.node.get("networkMode") is not None:
            return None
    return True if service.fargate else None


def traffic_containers(service: Service) -> list[tuple[ObjectNode, Container]]:
    """(loadBalancers entry, the container it routes to) for each entry that can be resolved."""
    task = service.task_definition
    out: list[tuple[ObjectNode, Container]] = []
    if task is None:
        return out
    for entry in load_balancers(service) or []:
        container = container_named(task, entry.get("containerName"))
        if container is not None:
            out.append((entry, container))
    return out


def label(resource: Service | TargetGroup, capital: bool = False) -> str:
    """ "service `web`", "target group `web-tg`"; "this service" when the name is unknown."""
    kind = "service" if isinstance(resource, Service) else "target group"
    text = f"{kind} `{resource.name}`" if resource.name else f"this {kind}"
    return text[0].upper() + text[1:] if capital else text


def container_at(container: Container) -> Node:
    """Where to point at a container: its name, else the whole definition."""
    return container.node.get("name") or container.node


def controller_type(service: Service) -> str | None:
    """ECS (the default), CODE_DEPLOY or EXTERNAL; None when unknown."""
    node = service.node.get("deploymentController")
    if node is None:
        return "ECS"
    if not isinstance(node, ObjectNode):
        return None
    return node.str("type") if "type" in node else "ECS"
