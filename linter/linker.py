"""Link resources across files: a service to its task definition, target groups, scaling."""

from __future__ import annotations

import functools
import posixpath
import re

from fglint.aws.facts import MODIFY_ATTRIBUTES, target_group_name
from fglint.model import (
    Cluster,
    IamPolicy,
    IamRole,
    Project,
    R,
    Resource,
    ScalableTarget,
    ScalingPolicy,
    ScheduledTask,
    SecurityGroup,
    Service,
    Subnet,
    TargetGroup,
    TaskDefinition,
    address_of,
)
from fglint.nodes import ListNode, Node, ObjectNode, UnknownNode, as_str
from fglint.scripts import attach_scripts

_TASK_ARN = re.compile(r"^arn:aws[\w-]*:ecs:[^:]*:[^:]*:task-definition/(.+)$")


def nearest(resource: Resource, candidates: list[R]) -> R | None:
    return closest(resource.file.path, candidates)


def closest(path: str, candidates: list[R]) -> R | None:
    """The one candidate, or when several match, the one in the file `path`, else the one in
    its directory (a folder of independent examples may define the same thing in each file)."""
    if len(candidates) == 1:
        return candidates[0]
    same_file = [c for c in candidates if c.file.path == path]
    if len(same_file) == 1:
        return same_file[0]
    folder = posixpath.dirname(path)
    here = [c for c in candidates if posixpath.dirname(c.file.path) == folder]
    return here[0] if len(here) == 1 else None


def task_definition_for(service: Service, project: Project) -> TaskDefinition | None:
    return task_definition_named(service, service.node.get("taskDefinition"), project)


def task_definition_named(
    resource: Resource, node: Node | None, project: Project
) -> TaskDefinition | None:
    """By reference (Terraform, CloudFormation) or by family / family:revision / ARN."""
    by_ref = project.resolve(node, TaskDefinition)
    if by_ref is not None:
        return by_ref
    text = as_str(node)
    if not text:
        return None
    match = _TASK_ARN.match(text)
    family, _, revision = (match.group(1) if match else text).partition(":")
    if "/" in family:
        return None
    matches = [
        t
        for t in project.where(TaskDefinition, family_of, family)
        if not revision or t.node.get("revision") is None or t.node.str("revision") == revision
    ]
    return nearest(resource, matches)


def family_of(task: TaskDefinition) -> str | None:
    return task.family


def target_groups_for(service: Service, project: Project) -> list[TargetGroup]:
    """Per `loadBalancers` entry: by reference, or by the name in the target group's ARN (a
    create-target-group input and a modify-target-group-attributes input may both match)."""
    found: list[TargetGroup] = []
    for entry in load_balancers(service) or []:
        candidates = groups_named(entry.get("targetGroupArn"), project)
        for modify in (False, True):
            kind = [g for g in candidates if (g.shape == MODIFY_ATTRIBUTES) == modify]
            group = nearest(service, kind)
            if group is not None and group not in found:
                found.append(group)
    return found


def groups_named(node: Node | None, project: Project) -> list[TargetGroup]:
    """The target groups a `targetGroupArn` value names: by reference, by ARN or by the name in
    the ARN (`refers_to`, through indexes)."""
    if isinstance(node, UnknownNode):
        return project.where(TargetGroup, address_of, node.ref) if node.ref else []
    text = as_str(node)
    if not text:
        return []
    found = project.where(TargetGroup, group_arn, text)
    name = target_group_name(text)
    if name is not None:
        found = found + [g for g in project.where(TargetGroup, elb_name, name) if g not in found]
    return found


def group_arn(group: TargetGroup) -> str | None:
    return group.node.str("TargetGroupArn")


def subnet_id(subnet: Resource) -> str | None:
    return subnet.node.str("SubnetId")


def group_id(group: Resource) -> str | None:
    return group.node.str("GroupId")


ID_KEYS = {"SubnetId": subnet_id, "GroupId": group_id}


def by_reference(node: Node | None, cls: type[R], id_key: str, project: Project) -> list[R]:
    """The resources of type `cls` a list names (subnets, security groups): by reference, or
    by id among describe outputs loaded in the same run (`id_key`: SubnetId, GroupId)."""
    found = []
    for item in node.items if isinstance(node, ListNode) else []:
        text = as_str(item)
        by_id = project.where(cls, ID_KEYS[id_key], text) if text else []
        resource = project.resolve(item, cls) or (by_id[0] if len(by_id) == 1 else None)
        if resource is not None:
            found.append(resource)
    return found


def link_services(project: Project) -> None:
    """Services to their task definitions, target groups, subnets and security groups."""
    for service in project.of(Service):
        task = service.task_definition or task_definition_for(service, project)
        if task is not None and service.task_definition is None:
            service.task_definition = task
            task.services.append(service)
        for group in target_groups_for(service, project):
            if group not in service.target_groups:
                service.target_groups.append(group)
        config = awsvpc_configuration(service)
        if config is None:
            continue
        if not service.subnets:
            subnets = config.get("subnets")
            service.subnets = by_reference(subnets, Subnet, "SubnetId", project)
        if not service.security_groups:
            groups = config.get("securityGroups")
            service.security_groups = by_reference(groups, SecurityGroup, "GroupId", project)


def link_schedules(project: Project) -> None:
    """Scheduled tasks and jobs to the task definitions they run."""
    for schedule in project.of(ScheduledTask):
        node = schedule.node.get("TaskDefinitionArn")
        task = schedule.task_definition or task_definition_named(schedule, node, project)
        schedule.task_definition = task
        if task is not None and schedule not in task.schedules:
            task.schedules.append(schedule)


def link(project: Project) -> None:
    """Finish the graph: rules only read it."""
    from fglint.express import expand

    expand(project)
    attach_scripts(project)
    link_services(project)
    link_schedules(project)
    link_scaling(project)
    link_roles(project)


def link_roles(project: Project) -> None:
    """Roles to the policies attached to them by address in the same file."""
    for policy in project.of(IamPolicy):
        for address in policy.roles:
            for role in project.where(IamRole, address_of, address):
                if role.file.path == policy.file.path and policy not in role.attached:
                    role.attached.append(policy)


def mentions(text: str, address: str) -> bool:
    """Does an expression's text name a resource address (`${aws_ecs_service.app.name}`)?"""
    return address in text and _mention(address).search(text) is not None


@functools.lru_cache(maxsize=4096)
def _mention(address: str) -> re.Pattern[str]:
    """One compiled pattern per address: a monorepo names more addresses than `re` caches."""
    return re.compile(rf"(?<![\w.-]){re.escape(address)}(?![\w-])")


def referenced(node: Node | None, cls: type[R], project: Project) -> R | None:
    """The one `cls` resource an unknown expression refers to: by its reference, or by an
    address named in its text (a template can name several resources)."""
    found = project.resolve(node, cls)
    if found is not None or not isinstance(node, UnknownNode) or not node.text:
        return found
    hits = named_in(node, cls, project)
    if len({r.address for r in hits}) > 1:
        return None  # the text names several resources
    return closest(node.span.path, hits)


_NAME_RUN = re.compile(r"[\w.-]+")


def named_in(node: UnknownNode, cls: type[R], project: Project) -> list[R]:
    """The `cls` resources `names(node, resource)` holds for, through the address index: an
    address made of name characters can only match a whole run of them in the text, or the run
    up to one of its dots. The rare address with other characters is tried one by one."""
    tried: set[str] = set()
    hits: list[R] = []
    for run in _NAME_RUN.findall(node.text):
        ends = [at for at, char in enumerate(run) if char == "."] + [len(run)]
        for end in ends:
            word = run[:end]
            for key in (word, f"{node.span.path}#{word}"):
                if word and key not in tried:
                    tried.add(key)
                    # all of them have the address `key`, so `names` answers alike for each
                    # (a monorepo defines it once per folder: asked once, not once per folder)
                    found = project.where(cls, plain_address, key)
                    if found and names(node, found[0]):
                        hits += found
    for found in project.index(cls, odd_address).values():  # by address, as above
        if names(node, found[0]):
            hits += found
    return list({id(r): r for r in hits}.values())  # `referenced` does not depend on the order


def _named_part(address: str) -> str:
    """What `names` looks for in an expression's text: a logical id, or the address."""
    path, _, logical_id = address.rpartition("#")
    return logical_id if logical_id and path else address


def plain_address(resource: Resource) -> str | None:
    part = _named_part(resource.address)
    return resource.address if part and re.fullmatch(r"[\w.-]+", part) else None


def odd_address(resource: Resource) -> str | None:
    part = _named_part(resource.address)
    return resource.address if part and not re.fullmatch(r"[\w.-]+", part) else None


def names(node: UnknownNode, resource: Resource) -> bool:
    """A Terraform address anywhere in the text, or a CloudFormation logical id
    (`<path>#<id>`) in an expression of the same template (`!Sub service/${C}/${Svc.Name}`)."""
    path, _, logical_id = resource.address.rpartition("#")
    if logical_id and path:
        return path == node.span.path and mentions(node.text, logical_id)
    return bool(resource.address) and mentions(node.text, resource.address)


def service_resource_id(text: str | None) -> tuple[str, str] | None:
    """(cluster, service) of an ECS scalable target's `service/<cluster>/<service>`."""
    parts = (text or "").split("/")
    if len(parts) != 3 or parts[0] != "service" or not all(parts):
        return None
    return parts[1], parts[2]


def service_name(service: Service) -> str | None:
    return service.node.str("serviceName") or service.node.str("service") or service.name or None


def cluster_name(service: Service) -> str | None:
    """The cluster a service runs in, when known (absent in a create-service input: unknown)."""
    if service.cluster is not None:
        return ecs_cluster_name(service.cluster)
    text = service.node.str("cluster")
    return text.rsplit("/", 1)[-1] if text else None


def ecs_cluster_name(cluster: Cluster) -> str | None:
    """The name ECS knows (`clusterName`), not a Terraform address or logical id."""
    if "clusterName" in cluster.node:
        return cluster.node.str("clusterName")
    return cluster.name or None


def service_for(node: Node | None, project: Project) -> Service | None:
    """The service a scaling `ResourceId` names, by reference or by `service/<cluster>/<name>`."""
    found = referenced(node, Service, project)
    ids = service_resource_id(as_str(node))
    if found is not None or ids is None:
        return found
    cluster, name = ids
    matches = [
        s for s in project.where(Service, service_name, name) if cluster_name(s) in (None, cluster)
    ]
    return closest(node.span.path, matches) if node is not None else None


def target_for(policy: ScalingPolicy, project: Project) -> ScalableTarget | None:
    """By reference (CloudFormation's `ScalingTargetId`), else by the same (ResourceId,
    ScalableDimension)."""
    for key in ("ScalingTargetId", "ResourceId", "ScalableDimension"):
        found = referenced(policy.node.get(key), ScalableTarget, project)
        if found is not None:
            return found
    wanted = scaling_key(policy.node.get("ResourceId"), policy.node.get("ScalableDimension"))
    if wanted is None:
        return None
    return nearest(policy, project.where(ScalableTarget, target_key, wanted))


def target_key(target: ScalableTarget) -> tuple[str, str] | None:
    return scaling_key(target.node.get("ResourceId"), target.node.get("ScalableDimension"))


def scaling_key(resource: Node | None, dimension: Node | None) -> tuple[str, str] | None:
    """A comparable identity: known text, or the text of the same unknown expression."""
    texts = []
    for node in (resource, dimension):
        text = as_str(node)
        if text is None and isinstance(node, UnknownNode) and node.text:
            text = "\0" + node.text
        if text is None:
            return None
        texts.append(text)
    return texts[0], texts[1]


def cluster_for(service: Service, project: Project) -> Cluster | None:
    """By reference or by name; among several inputs for one cluster (create-cluster,
    put-cluster-capacity-providers), the one that sets its default capacity strategy."""
    node = service.node.get("cluster")
    found = referenced(node, Cluster, project)
    text = as_str(node)
    if found is not None or not text:
        return found
    name = text.rsplit("/", 1)[-1]
    matches = list(project.where(Cluster, ecs_cluster_name, name))
    matches.sort(key=lambda c: "defaultCapacityProviderStrategy" not in c.node)
    return matches[0] if matches else None


def link_scaling(project: Project) -> None:
    """Services to clusters, scalable targets to services, policies to scalable targets."""
    for service in project.of(Service):
        if service.cluster is None:
            service.cluster = cluster_for(service, project)
    for target in project.of(ScalableTarget):
        target.service = target.service or service_for(target.node.get("ResourceId"), project)
        if target.service is not None and target not in target.service.scalable_targets:
            target.service.scalable_targets.append(target)
    for policy in project.of(ScalingPolicy):
        policy.target = policy.target or target_for(policy, project)
        if policy.target is not None and policy not in policy.target.policies:
            policy.target.policies.append(policy)
    untargeted: dict[int, list[ScalingPolicy]] = {}
    for policy in project.of(ScalingPolicy):
        named = service_for(policy.node.get("ResourceId"), project) if not policy.target else None
        if named is not None:
            untargeted.setdefault(id(named), []).append(policy)
    for service in project.of(Service):
        found = [p for target in service.scalable_targets for p in target.policies]
        found += [p for p in untargeted.get(id(service), []) if p not in found]
        service.scaling_policies = found


# What the linker reads of services and target groups (`aws.services` offers them to rules).


def refers_to(node: Node | None, group: TargetGroup) -> bool:
    """Does a `targetGroupArn` value name this target group (by reference, ARN or name in it)?"""
    if isinstance(node, UnknownNode):
        return bool(node.ref) and node.ref == group.address
    text = as_str(node)
    if not text:
        return False
    if group.node.str("TargetGroupArn") == text:
        return True
    name = target_group_name(text)
    return name is not None and name == elb_name(group)


def elb_name(group: TargetGroup) -> str | None:
    """The name ELBv2 knows the group by: `Name` (a create input, Terraform, CloudFormation) or
    `TargetGroupName` (a describe output), else the one in its ARN; None when unknown or left
    to AWS to generate. Not `group.name`, which is a Terraform address or a logical id."""
    for key in ("Name", "TargetGroupName"):
        if key in group.node:
            return group.node.str(key)
    arn = group.node.str("TargetGroupArn")
    return target_group_name(arn) if arn else None


def partial(service: Service) -> bool:
    """An update-service input: a setting it omits is left unchanged, not at its default. Or a
    service that may not exist (`conditional`): what it omits is not reported either."""
    return service.shape == "UpdateServiceRequest" or service.conditional


def load_balancers(service: Service) -> list[ObjectNode] | None:
    """The `loadBalancers` entries; None when they cannot be known."""
    node = service.node.get("loadBalancers")
    if node is None:
        return None if partial(service) else []
    if not isinstance(node, ListNode) or not all(isinstance(i, ObjectNode) for i in node):
        return None
    return [item for item in node.items if isinstance(item, ObjectNode)]


def awsvpc_configuration(service: Service) -> ObjectNode | None:
    network = service.node.obj("networkConfiguration")
    return network.obj("awsvpcConfiguration") if network is not None else None
