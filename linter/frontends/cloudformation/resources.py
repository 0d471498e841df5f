"""A template's resources into model objects in the AWS API's shape.

ECS (task definitions, services, clusters) is camelCase: the first letter of every key is
lowered, except inside map-valued properties (MAP_VALUED) and for the few keys whose API name
differs (RENAMES). ELBv2, Application Auto Scaling, IAM and EC2 keep their PascalCase (IAM and
security groups: `access.py`). Addresses are `<path>#<logical id>`, so templates in one run never
mix. Each builder takes the `Builder` of its template, the logical id and the evaluated
`Properties`.
"""

from __future__ import annotations

from collections.abc import Callable
from sys import intern

from fglint.aws.facts import DEREGISTRATION_DELAY
from fglint.frontends.cloudformation.intrinsics import Evaluator
from fglint.model import (
    Cluster,
    ExpressService,
    Project,
    Resource,
    ScalableTarget,
    ScalingPolicy,
    ScheduledTask,
    TargetGroup,
    TaskDefinition,
)
from fglint.nodes import ListNode, Node, ObjectNode, ScalarNode, Span, UnknownNode, walk

# Keys whose API spelling is not the CloudFormation name with its first letter lowered.
RENAMES = {
    "ClusterSettings": "settings",
    "EFSVolumeConfiguration": "efsVolumeConfiguration",
    "FilesystemId": "fileSystemId",
    "FSxWindowsFileServerVolumeConfiguration": "fsxWindowsFileServerVolumeConfiguration",
    "IAM": "iam",
    "PlacementStrategies": "placementStrategy",
    "ProxyConfigurationProperties": "properties",
    "S3FilesVolumeConfiguration": "s3filesVolumeConfiguration",
}
# Map-valued properties: their keys are data (log options, labels), kept as written.
MAP_VALUED = {"DockerLabels", "Options", "DriverOpts", "Labels"}


def camel(node: Node) -> Node:
    """CloudFormation PascalCase to the ECS API's camelCase, recursively."""
    if isinstance(node, ListNode):
        return ListNode(node.span, [camel(item) for item in node.items])
    if not isinstance(node, ObjectNode):
        return node
    result = ObjectNode(node.span)
    for key, value in node.fields.items():
        name = RENAMES.get(key) or intern(key[:1].lower() + key[1:])
        result.fields[name] = value if key in MAP_VALUED else camel(value)
        result.keys[name] = node.key_span(key)
    return result


class Builder:
    """What every builder of one template uses: the evaluated resources (`entries`), those
    whose condition the defaults do not decide (`maybe`), and what is built so far."""

    def __init__(
        self,
        evaluator: Evaluator,
        project: Project,
        resources: ObjectNode,
        entries: dict[str, ObjectNode],
        maybe: set[str],
    ) -> None:
        self.evaluator = evaluator
        self.file = evaluator.file
        self.types = evaluator.types
        self.mentioned = evaluator.mentioned
        self.project = project
        self.resources = resources
        self.entries = entries
        self.maybe = maybe
        self.built: dict[str, Resource] = {}

    def address(self, logical_id: str) -> str:
        return self.evaluator.address(logical_id)

    def root(self, logical_id: str, node: Node) -> ObjectNode:
        """The resource's node, spanning the resource from its logical id (a finding about a
        missing setting points at the resource's name)."""
        key, entry = self.resources.key_span(logical_id), self.entries[logical_id]
        span = Span(key.path, key.line, key.col, entry.span.end_line, entry.span.end_col)
        fields = node.fields if isinstance(node, ObjectNode) else {}
        keys = node.keys if isinstance(node, ObjectNode) else {}
        return ObjectNode(span, dict(fields), dict(keys))

    def add(self, logical_id: str, resource: Resource) -> None:
        resource.header = self.resources.key_span(logical_id)
        resource.conditional = logical_id in self.maybe
        self.built[logical_id] = resource
        self.project.add(resource)

    def target(self, node: Node | None) -> Resource | None:
        """The resource of this template that a reference names."""
        if isinstance(node, UnknownNode) and node.ref:
            return next((r for r in self.built.values() if r.address == node.ref), None)
        return None


Build = Callable[[Builder, str, ObjectNode], None]


def named(logical_id: str, properties: ObjectNode, key: str) -> str:
    return properties.str(key) or logical_id


def camel_case(cls: type[Resource], name_key: str) -> Build:
    """An ECS resource: its properties in camelCase, named by `name_key` or its logical id."""

    def build(builder: Builder, logical_id: str, properties: ObjectNode) -> None:
        node = builder.root(logical_id, camel(properties))
        name = named(logical_id, properties, name_key)
        builder.add(
            logical_id, cls(node, builder.file, name=name, address=builder.address(logical_id))
        )

    return build


def as_written(cls: type[Resource], name_key: str) -> Build:
    """A resource whose API keeps CloudFormation's PascalCase; with no `name_key`, named by its
    logical id."""

    def build(builder: Builder, logical_id: str, properties: ObjectNode) -> None:
        node = builder.root(logical_id, properties)
        name = named(logical_id, properties, name_key) if name_key else logical_id
        builder.add(
            logical_id, cls(node, builder.file, name=name, address=builder.address(logical_id))
        )

    return build


def task_definition(builder: Builder, logical_id: str, properties: ObjectNode) -> None:
    node = builder.root(logical_id, camel(properties))
    name = named(logical_id, properties, "Family")
    address = builder.address(logical_id)
    builder.add(logical_id, TaskDefinition.build(node, builder.file, name=name, address=address))


def express_service(builder: Builder, logical_id: str, properties: ObjectNode) -> None:
    node = builder.root(logical_id, camel(properties))
    name = named(logical_id, properties, "ServiceName")
    address = builder.address(logical_id)
    builder.add(logical_id, ExpressService(node, builder.file, name=name, address=address))


def capacity_providers(builder: Builder, logical_id: str, properties: ObjectNode) -> None:
    """`ClusterCapacityProviderAssociations`: merged into its cluster when that is in the
    template, else a put-cluster-capacity-providers input of its own."""
    node = camel(properties)
    assert isinstance(node, ObjectNode)
    cluster = builder.target(properties.get("Cluster"))
    if isinstance(cluster, Cluster):
        for key, value in node.fields.items():
            if key != "cluster":
                cluster.node.fields[key], cluster.node.keys[key] = value, node.keys[key]
        return
    name = properties.str("Cluster") or logical_id
    shape = "PutClusterCapacityProvidersRequest"
    node = builder.root(logical_id, node)
    address = builder.address(logical_id)
    builder.add(logical_id, Cluster(node, builder.file, name=name, address=address, shape=shape))


def target_group(builder: Builder, logical_id: str, properties: ObjectNode) -> None:
    node = builder.root(logical_id, properties)
    attributes = properties.get("TargetGroupAttributes")
    delay: Node | None = attributes if isinstance(attributes, UnknownNode) else None
    for item in attributes.items if isinstance(attributes, ListNode) else []:
        if not isinstance(item, ObjectNode) or not isinstance(item.get("Key"), ScalarNode):
            delay = delay or UnknownNode(item.span, builder.evaluator.source(item.span))
        elif item.str("Key") == DEREGISTRATION_DELAY and "Value" in item:
            delay = item.fields["Value"]
            node.keys["DeregistrationDelay"] = item.key_span("Value")
    if delay is not None:
        node.fields["DeregistrationDelay"] = delay
        node.keys.setdefault("DeregistrationDelay", delay.span)
    name = named(logical_id, properties, "Name")
    address = builder.address(logical_id)
    builder.add(logical_id, TargetGroup(node, builder.file, name=name, address=address))


def service_reference(builder: Builder, properties: ObjectNode) -> None:
    """The one service a scaling `ResourceId` expression names (`!Join [/, [service, !Ref
    Cluster, !GetAtt Service.Name]]`) becomes its reference."""
    resource_id = properties.get("ResourceId")
    if isinstance(resource_id, UnknownNode) and resource_id.ref is None:
        names = builder.mentioned.get(id(resource_id), [])
        services = [n for n in names if builder.types.get(n) == "AWS::ECS::Service"]
        if len(services) == 1:
            resource_id.ref = builder.address(services[0])


def scalable_target(builder: Builder, logical_id: str, properties: ObjectNode) -> None:
    service_reference(builder, properties)
    as_written(ScalableTarget, "")(builder, logical_id, properties)


def scaling_policy(builder: Builder, logical_id: str, properties: ObjectNode) -> None:
    service_reference(builder, properties)
    as_written(ScalingPolicy, "PolicyName")(builder, logical_id, properties)


def event_rule(builder: Builder, logical_id: str, properties: ObjectNode) -> None:
    """An EventBridge rule: each target that runs an ECS task (its `EcsParameters`)."""
    for target in properties.objects("Targets"):
        scheduled_task(builder, logical_id, target.obj("EcsParameters"))


def schedule(builder: Builder, logical_id: str, properties: ObjectNode) -> None:
    """An EventBridge Scheduler schedule whose target runs an ECS task."""
    target = properties.obj("Target")
    scheduled_task(builder, logical_id, target.obj("EcsParameters") if target else None)


def scheduled_task(builder: Builder, logical_id: str, parameters: ObjectNode | None) -> None:
    if parameters is None or "TaskDefinitionArn" not in parameters:
        return
    node = builder.root(logical_id, parameters)
    address = builder.address(logical_id)
    builder.project.add(ScheduledTask(node, builder.file, name=logical_id, address=address))


def state_machine(builder: Builder, logical_id: str, properties: ObjectNode) -> None:
    """A Step Functions state machine that runs `ecs:runTask` with task definitions of this
    template (named in its definition or its `DefinitionSubstitutions`): a job."""
    span = properties.span
    if "ecs:runTask" not in "\n".join(builder.evaluator.lines(span.line, span.end_line)):
        return
    found: dict[str, Node] = {}
    for node in walk(properties):
        if not isinstance(node, UnknownNode):
            continue
        for name in [node.ref, *map(builder.address, builder.mentioned.get(id(node), []))]:
            if name and builder.types.get(name.rpartition("#")[2]) == "AWS::ECS::TaskDefinition":
                found.setdefault(name, UnknownNode(node.span, node.text, ref=name))
    for reference in found.values():
        node = builder.root(logical_id, ObjectNode(span, {"TaskDefinitionArn": reference}))
        address = builder.address(logical_id)
        builder.project.add(ScheduledTask(node, builder.file, name=logical_id, address=address))
