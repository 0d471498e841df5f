"""AWS CLI and API JSON documents, recognised by content (never by file name).

A register-task-definition input, a describe-task-definition output (`{"taskDefinition": ...}`)
and a bare container-definitions array become task definitions. Other shapes are recognised by
the entries of SHAPES; JSON that matches none (package.json, tsconfig.json...) is not ours.
The loader parses the file and sends CloudFormation and Terraform JSON to their own front-ends.
"""

from __future__ import annotations

from collections.abc import Callable

from fglint.aws.facts import (
    DEREGISTRATION_DELAY,
    MODIFY_ATTRIBUTES,
    STEP_SCALING,
    TARGET_TRACKING,
    target_group_name,
)
from fglint.model import (
    Cluster,
    ExpressService,
    IamPolicy,
    Project,
    ScalableTarget,
    ScalingPolicy,
    SecurityGroup,
    Service,
    SourceFile,
    Subnet,
    TargetGroup,
    TaskDefinition,
)
from fglint.nodes import ListNode, Node, ObjectNode

Builder = Callable[[Node, SourceFile, Project], bool]


def load(root: Node, file: SourceFile, project: Project) -> bool:
    """Map a parsed JSON document into the model. False when it is none of SHAPES."""
    for build in SHAPES:
        if build(root, file, project):
            file.kind = "json"
            return True
    return False


def is_container(node: Node) -> bool:
    return isinstance(node, ObjectNode) and "image" in node and "name" in node


DESCRIBED_TASK_KEYS = {"taskDefinitionArn", "revision", "status", "requiresAttributes"}
DESCRIBED_TASK_KEYS |= {"compatibilities", "registeredAt", "registeredBy", "deregisteredAt"}


def task_definition(root: Node, file: SourceFile, project: Project) -> bool:
    if not isinstance(root, ObjectNode):
        return False
    inner = root.obj("taskDefinition")
    node = inner or root
    if not isinstance(node.get("containerDefinitions"), ListNode):
        return False
    # `describe-task-definition --query taskDefinition` output has read-only keys at the top
    described = inner or DESCRIBED_TASK_KEYS & node.fields.keys()
    shape = "TaskDefinition" if described else "RegisterTaskDefinitionRequest"
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


# Application Auto Scaling and ECS clusters (issue 5).


def _wrap(key: str, node: ObjectNode) -> ObjectNode:
    """A policy whose only key is `key`, holding a bare configuration file's object."""
    return ObjectNode(node.span, {key: node}, {key: node.span})


def scaling_policy(root: Node, file: SourceFile, project: Project) -> bool:
    """A put-scaling-policy input, or a bare target-tracking / step-scaling configuration."""
    if not isinstance(root, ObjectNode) or "AutoScalingGroupName" in root:
        return False
    if "PolicyName" in root and "ResourceId" in root:
        if not ({"PolicyType", TARGET_TRACKING, STEP_SCALING} & root.fields.keys()):
            return False
        name = root.str("PolicyName") or ""
        shape = "PutScalingPolicyRequest"
        project.add(ScalingPolicy(root, file, name=name, shape=shape))
        return True
    metric = {"PredefinedMetricSpecification", "CustomizedMetricSpecification"}
    if "TargetValue" in root and metric & root.fields.keys():
        node, shape = _wrap(TARGET_TRACKING, root), TARGET_TRACKING
    elif isinstance(root.get("StepAdjustments"), ListNode):
        node, shape = _wrap(STEP_SCALING, root), STEP_SCALING
    else:
        return False
    project.add(ScalingPolicy(node, file, name=file.path.rsplit("/", 1)[-1], shape=shape))
    return True


def scalable_target(root: Node, file: SourceFile, project: Project) -> bool:
    """A register-scalable-target input."""
    if not isinstance(root, ObjectNode) or "PolicyName" in root:
        return False
    if not ("ResourceId" in root and "ScalableDimension" in root):
        return False
    if not ({"ServiceNamespace", "MinCapacity", "MaxCapacity"} & root.fields.keys()):
        return False
    name = root.str("ResourceId") or ""
    project.add(ScalableTarget(root, file, name=name, shape="RegisterScalableTargetRequest"))
    return True


SERVICE_KEYS = {"service", "serviceName", "taskDefinition", "containerDefinitions"}
CREATE_CLUSTER_KEYS = {
    "clusterName",
    "tags",
    "settings",
    "configuration",
    "capacityProviders",
    "defaultCapacityProviderStrategy",
    "serviceConnectDefaults",
}


def cluster(root: Node, file: SourceFile, project: Project) -> bool:
    """A create-cluster, put-cluster-capacity-providers or update-cluster-settings input."""
    if not isinstance(root, ObjectNode) or SERVICE_KEYS & root.fields.keys():
        return False
    keys = root.fields.keys()
    if "clusterName" in root and keys <= CREATE_CLUSTER_KEYS:
        shape, name = "CreateClusterRequest", root.str("clusterName")
    elif "cluster" in root and {"capacityProviders", "defaultCapacityProviderStrategy"} <= keys:
        shape, name = "PutClusterCapacityProvidersRequest", root.str("cluster")
    elif "cluster" in root and "settings" in root and len(keys) == 2:
        shape, name = "UpdateClusterSettingsRequest", root.str("cluster")
    else:
        return False
    name = (name or "").rsplit("/", 1)[-1]
    project.add(Cluster(root, file, name=name, shape=shape))
    return True


SHAPES: list[Builder] = [task_definition, container_definitions]
SHAPES += [scaling_policy, scalable_target, cluster]


# ECS services and ELBv2 target groups (issue 5).
SERVICE_ONLY = {
    "desiredCount",
    "loadBalancers",
    "deploymentConfiguration",
    "deploymentController",
    "healthCheckGracePeriodSeconds",
    "schedulingStrategy",
    "serviceRegistries",
    "serviceConnectConfiguration",
}
SERVICE_ANY = SERVICE_ONLY | {
    "cluster",
    "taskDefinition",
    "launchType",
    "capacityProviderStrategy",
    "platformVersion",
    "networkConfiguration",
    "forceNewDeployment",
    "enableExecuteCommand",
    "propagateTags",
    "placementConstraints",
    "placementStrategy",
}


def _service(node: ObjectNode, file: SourceFile, shape: str, name: str | None) -> Service:
    return Service(node, file, name=(name or "").rsplit("/", 1)[-1], shape=shape)


def ecs_service(root: Node, file: SourceFile, project: Project) -> bool:
    """A create-service or update-service input, or a describe-services / create-service output."""
    if not isinstance(root, ObjectNode) or "containerDefinitions" in root:
        return False
    described = [s for s in root.objects("services") if "serviceName" in s or "serviceArn" in s]
    wrapped = root.obj("service")
    if wrapped is not None and "serviceName" in wrapped:
        described = [wrapped]
    if described:
        for node in described:
            project.add(_service(node, file, "Service", node.str("serviceName")))
        return True
    keys = root.fields.keys()
    if isinstance(root.get("taskDefinition"), (ObjectNode, ListNode)):
        return False
    if "serviceName" in root and keys & SERVICE_ANY:
        shape = "Service" if "serviceArn" in root else "CreateServiceRequest"
        project.add(_service(root, file, shape, root.str("serviceName")))
    elif "service" in root and keys & SERVICE_ANY - {"cluster"} and not root.obj("service"):
        # `cluster` and `service` alone name a service in many deploy tools' own settings
        # (ecspresso's config: `{"cluster", "service", "task_definition", ...}`)
        project.add(_service(root, file, "UpdateServiceRequest", root.str("service")))
    elif "taskDefinition" in root and keys & SERVICE_ONLY:
        project.add(_service(root, file, "CreateServiceRequest", None))
    else:
        return False
    return True


TARGET_GROUP_KEYS = {
    "Protocol",
    "ProtocolVersion",
    "Port",
    "VpcId",
    "TargetType",
    "HealthCheckProtocol",
    "HealthCheckPort",
    "HealthCheckPath",
    "HealthCheckEnabled",
    "Matcher",
}


def _with_deregistration_delay(root: ObjectNode) -> ObjectNode:
    """The node plus `DeregistrationDelay`: the located value of that attribute, when set."""
    for attribute in root.objects("Attributes"):
        if attribute.str("Key") == DEREGISTRATION_DELAY and "Value" in attribute:
            fields = {**root.fields, "DeregistrationDelay": attribute.fields["Value"]}
            keys = {**root.keys, "DeregistrationDelay": attribute.key_span("Value")}
            return ObjectNode(root.span, fields, keys)
    return root


def target_group(root: Node, file: SourceFile, project: Project) -> bool:
    """A create-target-group or modify-target-group-attributes input, or a describe-target-groups
    output. Canonical shape: ELBv2 PascalCase plus `DeregistrationDelay`."""
    if not isinstance(root, ObjectNode) or "Resources" in root:
        return False
    described = [g for g in root.objects("TargetGroups") if "TargetGroupArn" in g]
    for node in described:
        name = node.str("TargetGroupName") or ""
        project.add(TargetGroup(node, file, name=name, shape="TargetGroup"))
    if described:
        return True
    if "Name" in root and root.fields.keys() & TARGET_GROUP_KEYS and "Subnets" not in root:
        name = root.str("Name") or ""
        project.add(TargetGroup(root, file, name=name, shape="CreateTargetGroupRequest"))
        return True
    if "TargetGroupArn" in root and isinstance(root.get("Attributes"), ListNode):
        name = target_group_name(root.str("TargetGroupArn") or "") or ""
        node = _with_deregistration_delay(root)
        project.add(TargetGroup(node, file, name=name, shape=MODIFY_ATTRIBUTES))
        return True
    return False


def ec2_described(root: Node, file: SourceFile, project: Project) -> bool:
    """describe-subnets / describe-security-groups output: the subnets' CIDRs and zones and the
    groups' ingress rules, so services can be checked against them (linked by id)."""
    if not isinstance(root, ObjectNode):
        return False
    subnets = [n for n in root.objects("Subnets") if "SubnetId" in n]
    groups = [n for n in root.objects("SecurityGroups") if "GroupId" in n]
    for node in subnets:
        project.add(Subnet(node, file, name=node.str("SubnetId") or "", shape="Subnet"))
    for node in groups:
        name = node.str("GroupName") or node.str("GroupId") or ""
        project.add(SecurityGroup(node, file, name=name, shape="SecurityGroup"))
    return bool(subnets or groups)


EXPRESS_KEYS = {"primaryContainer", "infrastructureRoleArn"}


def express_service(root: Node, file: SourceFile, project: Project) -> bool:
    """A create-express-gateway-service input (ECS Express Mode)."""
    if not isinstance(root, ObjectNode) or not (EXPRESS_KEYS & root.fields.keys()):
        return False
    if "containerDefinitions" in root or "serviceArn" in root:
        return False
    name = root.str("serviceName") or file.path.rsplit("/", 1)[-1]
    shape = "CreateExpressGatewayServiceRequest"
    project.add(ExpressService(root, file, name=name, shape=shape))
    return True


SHAPES += [express_service, ecs_service, target_group, ec2_described]


def iam_policy(root: Node, file: SourceFile, project: Project) -> bool:
    """A bare IAM policy document (`{"Version": "2012-10-17", "Statement": [...]}`), named after
    the file (`execution-policy.json` -> `execution-policy`)."""
    if not isinstance(root, ObjectNode) or "Statement" not in root:
        return False
    if root.str("Version") not in ("2012-10-17", "2008-10-17"):
        return False
    name = file.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    project.add(IamPolicy(root, file, name=name))
    return True


SHAPES.append(iam_policy)
