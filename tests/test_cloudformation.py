"""The CloudFormation front-end: located YAML, intrinsic functions as unknowns, resources in the
AWS API's shape, and silence on YAML that is not a template."""

from __future__ import annotations

from pathlib import Path

import pytest
from fglint.load import load
from fglint.model import (
    Cluster,
    IamPolicy,
    IamRole,
    Project,
    R,
    ScalableTarget,
    ScalingPolicy,
    SecurityGroup,
    Service,
    Subnet,
    TargetGroup,
    TaskDefinition,
)
from fglint.nodes import ListNode, ObjectNode, ScalarNode, Span, TemplateNode, UnknownNode
from helpers import CORPUS, lint

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  TaskCpu:
    Type: Number
    Default: 256
Resources:
  TaskDefinition:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: web
      Cpu: !Ref TaskCpu
      Memory: "512"
      NetworkMode: awsvpc
      ExecutionRoleArn: !GetAtt ExecutionRole.Arn
      TaskRoleArn:
        Fn::GetAtt: [TaskRole, Arn]
      ContainerDefinitions:
        - Name: web
          Image: !Sub "${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/web:1"
          Essential: true
          Command:
            - |
              exec gunicorn app:app
          PortMappings: [{ContainerPort: 8080, HostPort: 8080}]
          DockerLabels:
            Team: payments
          LogConfiguration:
            LogDriver: awslogs
            Options:
              awslogs-group: !Ref LogGroup
              awslogs-region: !Ref AWS::Region
      Volumes:
        - Name: shared
          EFSVolumeConfiguration:
            FilesystemId: fs-1
            AuthorizationConfig: {IAM: ENABLED}
      ProxyConfiguration:
        ContainerName: envoy
        ProxyConfigurationProperties:
          - Name: AppPorts
            Value: "8080"
  LogGroup:
    Type: AWS::Logs::LogGroup
  ExecutionRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy
        - !Ref ReadSecrets
      Policies:
        - PolicyName: logs
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: logs:PutLogEvents, Resource: "*"}
  TaskRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: checkout-task
      AssumeRolePolicyDocument: {}
  ReadSecrets:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - {Effect: Allow, Action: secretsmanager:GetSecretValue, Resource: "*"}
  Inline:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: by-name
      Roles: [checkout-task]
      PolicyDocument:
        Statement: !If [IsProd, [], [{Effect: Deny, Action: "*", Resource: "*"}]]
  Cluster:
    Type: AWS::ECS::Cluster
    Properties:
      ClusterName: prod
      ClusterSettings:
        - Name: containerInsights
          Value: enhanced
  Providers:
    Type: AWS::ECS::ClusterCapacityProviderAssociations
    Properties:
      Cluster: !Ref Cluster
      CapacityProviders: [FARGATE, FARGATE_SPOT]
      DefaultCapacityProviderStrategy:
        - CapacityProvider: FARGATE
          Base: 1
  Service:
    Type: AWS::ECS::Service
    Properties:
      ServiceName: checkout
      Cluster: !Ref Cluster
      TaskDefinition: !Ref TaskDefinition
      PlacementStrategies: [{Type: spread, Field: attribute:ecs.availability-zone}]
      DeploymentConfiguration:
        DeploymentCircuitBreaker: {Enable: true, Rollback: true}
      NetworkConfiguration:
        AwsvpcConfiguration:
          AssignPublicIp: DISABLED
          Subnets: [!Ref SubnetA, subnet-0bbb]
          SecurityGroups: [!GetAtt TaskSecurityGroup.GroupId]
      LoadBalancers:
        - TargetGroupArn: !Ref TargetGroup
          ContainerName: web
          ContainerPort: 8080
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties:
      CidrBlock: 10.0.1.0/24
      AvailabilityZone: eu-west-1a
  TargetGroup:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Name: checkout
      TargetType: ip
      TargetGroupAttributes:
        - Key: stickiness.enabled
          Value: "false"
        - Key: deregistration_delay.timeout_seconds
          Value: "30"
  TaskSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: tasks
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 8080
          ToPort: 8080
          SourceSecurityGroupId: !Ref LoadBalancerSecurityGroup
  OpenIngress:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !Ref TaskSecurityGroup
      IpProtocol: tcp
      FromPort: 443
      ToPort: 443
      CidrIp: 0.0.0.0/0
  LoadBalancerSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: alb
  ScalableTarget:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ServiceNamespace: ecs
      ResourceId: !Join [/, [service, !Ref Cluster, !GetAtt Service.Name]]
      ScalableDimension: ecs:service:DesiredCount
      MinCapacity: 2
      MaxCapacity: 10
  CpuPolicy:
    Type: AWS::ApplicationAutoScaling::ScalingPolicy
    Properties:
      PolicyName: cpu
      PolicyType: TargetTrackingScaling
      ScalingTargetId: !Ref ScalableTarget
      TargetTrackingScalingPolicyConfiguration:
        TargetValue: 60
        PredefinedMetricSpecification:
          PredefinedMetricType: ECSServiceAverageCPUUtilization
"""


def where(fragment: str, text: str = TEMPLATE) -> tuple[int, int]:
    """1-based (line, column) of the only occurrence of `fragment` in the template."""
    assert text.count(fragment) == 1, fragment
    before = text[: text.index(fragment)]
    return before.count("\n") + 1, len(before) - before.rfind("\n")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return load([str(write(tmp_path, "stack.yaml", TEMPLATE))])


def one(project: Project, cls: type[R], name: str) -> R:
    matches = [r for r in project.of(cls) if r.name == name]
    assert len(matches) == 1, [r.name for r in project.of(cls)]
    return matches[0]


def test_values_keep_their_positions_and_yaml_types(project: Project) -> None:
    task = one(project, TaskDefinition, "web")
    memory = task.node.get("memory")
    assert isinstance(memory, ScalarNode) and memory.value == "512"  # quoted: stays a string
    line, col = where('"512"')
    assert (memory.span.line, memory.span.col, memory.span.end_col) == (line, col, col + 5)
    assert task.node.key_span("memory") == Span(memory.span.path, line, 7, line, 13)
    container = task.containers[0]
    mapping = container.node.objects("portMappings")[0]
    port = mapping.get("containerPort")
    assert isinstance(port, ScalarNode) and port.value == 8080
    line, col = where("8080, HostPort")
    assert (port.span.line, port.span.col, port.span.end_col) == (line, col, col + 4)
    essential = container.node.get("essential")
    assert isinstance(essential, ScalarNode) and essential.value is True
    # a block scalar ends on its last line, not on the next one
    command = container.node.get("command")
    assert isinstance(command, ListNode)
    block = command.items[0].span
    assert (block.line, block.end_line, block.end_col) == (where("|")[0], where("exec")[0], 36)


def test_resource_node_starts_at_its_logical_id(project: Project) -> None:
    task = one(project, TaskDefinition, "web")
    assert (task.span.line, task.span.col) == where("TaskDefinition:\n")
    assert task.address.endswith("stack.yaml#TaskDefinition")


def test_ref_and_getatt_are_unknown_with_the_resource_they_name(project: Project) -> None:
    task = one(project, TaskDefinition, "web")
    execution = task.node.get("executionRoleArn")
    assert isinstance(execution, UnknownNode)
    assert execution.text == "!GetAtt ExecutionRole.Arn"
    assert execution.ref is not None and execution.ref.endswith("#ExecutionRole")
    assert project.resolve(execution, IamRole) is one(project, IamRole, "ExecutionRole")
    long_form = task.node.get("taskRoleArn")
    assert isinstance(long_form, UnknownNode) and long_form.ref
    assert long_form.ref.endswith("#TaskRole")
    assert (long_form.span.line, long_form.span.col) == where("Fn::GetAtt: [TaskRole")


def test_a_parameter_takes_its_default_at_the_default_through_the_ref(project: Project) -> None:
    task = one(project, TaskDefinition, "web")
    cpu = task.node.get("cpu")
    assert isinstance(cpu, ScalarNode) and cpu.value == 256
    assert (cpu.span.line, cpu.span.col) == where("256")
    assert [(s.line, s.col, m) for s, m in cpu.via] == [
        (*where("!Ref TaskCpu"), "passed as `!Ref TaskCpu`")
    ]


def test_pseudo_parameters_are_unknown_parts(project: Project) -> None:
    task = one(project, TaskDefinition, "web")
    options = task.containers[0].node.obj("logConfiguration")
    assert options is not None
    region = options.obj("options").get("awslogs-region")
    assert isinstance(region, UnknownNode) and region.ref is None
    image = task.containers[0].node.get("image")
    assert isinstance(image, TemplateNode) and image.ref is None
    assert image.masked("?") == "?.dkr.ecr.?.amazonaws.com/web:1"
    assert image.suffix() == ".amazonaws.com/web:1"
    literal = image.parts[-1]
    assert (literal.span.line, literal.span.col) == where(".amazonaws.com/web:1")


def test_other_functions_carry_the_one_resource_they_name(project: Project) -> None:
    target = one(project, ScalableTarget, "ScalableTarget")
    resource_id = target.node.get("ResourceId")
    assert isinstance(resource_id, UnknownNode)
    assert resource_id.text == "service/${Cluster}/${Service.Name}"  # a partly known string
    service = one(project, Service, "checkout")
    assert project.resolve(resource_id, Service) is service
    assert target.service is service


def test_ecs_keys_become_the_api_camel_case(project: Project) -> None:
    task = one(project, TaskDefinition, "web")
    data = task.node.to_python()
    assert isinstance(data, dict)
    assert set(data) >= {"family", "cpu", "memory", "networkMode", "containerDefinitions"}
    volume = data["volumes"][0]
    assert volume["efsVolumeConfiguration"] == {
        "fileSystemId": "fs-1",
        "authorizationConfig": {"iam": "ENABLED"},
    }
    assert data["proxyConfiguration"]["properties"] == [{"name": "AppPorts", "value": "8080"}]
    container = data["containerDefinitions"][0]
    assert container["dockerLabels"] == {"Team": "payments"}  # map keys kept as written
    assert set(container["logConfiguration"]["options"]) == {"awslogs-group", "awslogs-region"}
    service = one(project, Service, "checkout").node.to_python()
    assert service["placementStrategy"] == [
        {"type": "spread", "field": "attribute:ecs.availability-zone"}
    ]
    assert service["deploymentConfiguration"] == {
        "deploymentCircuitBreaker": {"enable": True, "rollback": True}
    }
    network = service["networkConfiguration"]["awsvpcConfiguration"]
    assert network["assignPublicIp"] == "DISABLED"


def test_service_links_to_its_task_definition_cluster_and_target_group(project: Project) -> None:
    service = one(project, Service, "checkout")
    assert service.task_definition is one(project, TaskDefinition, "web")
    assert service.cluster is one(project, Cluster, "prod")
    entry = service.node.objects("loadBalancers")[0]
    assert project.resolve(entry.get("targetGroupArn"), TargetGroup) is one(
        project, TargetGroup, "checkout"
    )
    subnets = service.node.obj("networkConfiguration").obj("awsvpcConfiguration")
    assert project.resolve(subnets.list("subnets")[0], Subnet) is not None


def test_cluster_settings_and_capacity_provider_associations(project: Project) -> None:
    clusters = list(project.of(Cluster))
    assert len(clusters) == 1  # the associations merge into the cluster they name
    data = clusters[0].node.to_python()
    assert data["settings"] == [{"name": "containerInsights", "value": "enhanced"}]
    assert data["capacityProviders"] == ["FARGATE", "FARGATE_SPOT"]
    assert data["defaultCapacityProviderStrategy"] == [{"capacityProvider": "FARGATE", "base": 1}]


def test_target_group_deregistration_delay_is_the_attribute_value(project: Project) -> None:
    group = one(project, TargetGroup, "checkout")
    delay = group.node.get("DeregistrationDelay")
    assert isinstance(delay, ScalarNode) and delay.value == "30"
    assert (delay.span.line, delay.span.col) == where('"30"')
    assert group.node.str("TargetType") == "ip"  # PascalCase stays


def test_security_group_rules_become_ip_permissions(project: Project) -> None:
    group = one(project, SecurityGroup, "TaskSecurityGroup")
    rules = group.node.objects("IpPermissions")
    assert len(rules) == 2  # the inline rule and the standalone SecurityGroupIngress
    from_balancer, open_rule = rules
    pair = from_balancer.objects("UserIdGroupPairs")[0]
    assert project.resolve(pair.get("GroupId"), SecurityGroup) is one(
        project, SecurityGroup, "LoadBalancerSecurityGroup"
    )
    cidr = open_rule.objects("IpRanges")[0].get("CidrIp")
    assert isinstance(cidr, ScalarNode) and cidr.value == "0.0.0.0/0"
    assert (cidr.span.line, cidr.span.col) == where("0.0.0.0/0")
    assert open_rule.int("FromPort") == 443


def test_iam_policies_attach_to_their_roles(project: Project) -> None:
    execution = one(project, IamRole, "ExecutionRole")
    assert [p.name for p in execution.policies] == ["logs", "ReadSecrets"]
    assert [n.to_python() for n in execution.managed_policy_arns] == [
        "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
    ]
    task_role = one(project, IamRole, "checkout-task")
    assert [p.name for p in task_role.policies] == ["by-name"]
    unknown = task_role.policies[0]
    assert not unknown.node.known  # a statement list behind Fn::If
    assert execution.address in one(project, IamPolicy, "ReadSecrets").roles


def test_scaling_policy_links_to_its_target_through_scaling_target_id(project: Project) -> None:
    policy = one(project, ScalingPolicy, "cpu")
    target = one(project, ScalableTarget, "ScalableTarget")
    reference = policy.node.get("ScalingTargetId")
    assert isinstance(reference, UnknownNode)
    assert project.resolve(reference, ScalableTarget) is target
    assert policy.target is target and target.policies == [policy]


def test_scaling_policy_resource_id_names_its_service(tmp_path: Path) -> None:
    text = TEMPLATE.replace(
        "      ScalingTargetId: !Ref ScalableTarget\n",
        "      ServiceNamespace: ecs\n"
        "      ResourceId: !Sub service/${Cluster}/${Service.Name}\n"
        "      ScalableDimension: ecs:service:DesiredCount\n",
    )
    project = load([str(write(tmp_path, "stack.yaml", text))])
    policy = one(project, ScalingPolicy, "cpu")
    assert project.resolve(policy.node.get("ResourceId"), Service) is one(
        project, Service, "checkout"
    )


def test_json_template_uses_the_same_mapping(tmp_path: Path) -> None:
    text = """{
  "Resources": {
    "Task": {
      "Type": "AWS::ECS::TaskDefinition",
      "Properties": {
        "RequiresCompatibilities": ["FARGATE"],
        "Cpu": {"Ref": "TaskCpu"},
        "ExecutionRoleArn": {"Fn::GetAtt": ["Role", "Arn"]},
        "ContainerDefinitions": [{"Name": "web", "Image": "nginx:latest"}]
      }
    },
    "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {}}}
  }
}
"""
    for name in ("stack.json", "stack.template"):
        project = load([str(write(tmp_path, name, text))])
        task = one(project, TaskDefinition, "Task")
        assert task.node.str("requiresCompatibilities") is None
        assert isinstance(task.node.get("cpu"), UnknownNode)
        role = task.node.get("executionRoleArn")
        assert isinstance(role, UnknownNode) and role.text == '{"Fn::GetAtt": ["Role", "Arn"]}'
        assert project.resolve(role, IamRole) is not None
        assert [f.code for f in lint([tmp_path / name], select=["FG201"])] == ["FG201"]


def test_references_never_cross_templates(tmp_path: Path) -> None:
    other = TEMPLATE.replace("Family: web", "Family: api").replace("ServiceName: checkout", "")
    paths = [write(tmp_path, "a.yaml", TEMPLATE), write(tmp_path, "b.yaml", other)]
    project = load([str(p) for p in paths])
    for service in project.of(Service):
        assert service.task_definition is not None
        assert service.task_definition.file is service.file


def test_copilot_fragment_without_resources_key(tmp_path: Path) -> None:
    text = """\
TaskDefinition:
  Type: AWS::ECS::TaskDefinition
  Properties:
    ContainerDefinitions:
      - Name: web
        Image: nginx
"""
    path = write(tmp_path, "override-cf.yml", text)
    findings = lint([path], select=["FG201"])
    assert [(f.code, f.span.line) for f in findings] == [("FG201", 6)]


@pytest.mark.parametrize(
    "text",
    [
        "services:\n  web:\n    image: nginx:latest\n",  # docker-compose
        "apiVersion: v1\nkind: Pod\n---\napiVersion: v1\nkind: Service\n",  # Kubernetes
        "on: push\njobs:\n  build:\n    steps: [{run: echo AWS::Region}]\n",  # a workflow
        "image: {{ .Values.image }}\n  broken: [\n",  # a Helm template: not YAML at all
        "Resources:\n  Bucket: {Type: Custom::Thing}\n",  # no AWS:: resource
        "",
    ],
)
def test_yaml_that_is_not_a_template_is_ignored(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, "other.yaml", text)
    project = load([str(path)])
    assert not project.resources
    assert not project.problems
    assert not project.files  # not one of fglint's inputs: skipped, and said why
    ((skipped, _why),) = project.skipped
    assert skipped.endswith("other.yaml")


def test_yaml_syntax_error_in_a_template_is_fg001_at_its_position(tmp_path: Path) -> None:
    text = "Resources:\n  Service:\n    Type: AWS::ECS::Service\n    Properties: [\n"
    findings = lint([write(tmp_path, "stack.yaml", text)], select=["FG001"])
    # the end of the file: after the last character of its last line, not on a line after it
    assert [(f.code, f.span.line, f.span.col) for f in findings] == [("FG001", 4, 18)]
    assert findings[0].message.startswith("Invalid YAML: ")


def test_duplicate_keys_in_yaml_are_fg004(tmp_path: Path) -> None:
    text = TEMPLATE.replace('      Memory: "512"\n', '      Memory: "512"\n      Memory: "1024"\n')
    findings = lint([write(tmp_path, "stack.yaml", text)], select=["FG004"])
    assert [(f.code, f.span.line) for f in findings] == [("FG004", 13)]
    assert findings[0].related[0][0].line == 12


def test_intrinsic_tags_of_every_form_are_unknown_when_the_template_does_not_decide(
    tmp_path: Path,
) -> None:
    functions = [
        "!Ref Param",
        "!Sub 'x-${AWS::Region}'",
        "!Sub ['x-${Name}', {Name: !Ref Param}]",
        "!GetAtt Role.Arn",
        "!GetAtt [Role, Arn]",
        "!If [Cond, a, b]",
        "!Join ['', [a, !Ref AWS::Region]]",
        "!Select [0, !GetAZs '']",
        "!Split [',', !Ref AWS::Region]",
        "!FindInMap [Map, Key, Value]",
        "!ImportValue shared-vpc",
        "!Base64 text",
        "!Cidr [10.0.0.0/16, 4, 8]",
        "!GetAZs ''",
        "!Equals [a, b]",
        "!And [!Condition A, !Condition B]",
        "!Or [!Condition A, !Condition B]",
        "!Not [!Condition A]",
        "!Condition A",
        "{Ref: Param}",
        "{'Fn::Transform': {Name: X}}",
    ]
    lines = "".join(f"      Key{i}: {text}\n" for i, text in enumerate(functions))
    text = (
        "Resources:\n  Role:\n    Type: AWS::IAM::Role\n  Group:\n"
        "    Type: AWS::EC2::Subnet\n    Properties:\n" + lines
    )
    project = load([str(write(tmp_path, "stack.yaml", text))])
    subnet = next(iter(project.of(Subnet)))
    for i, source in enumerate(functions):
        value = subnet.node.get(f"Key{i}")
        assert isinstance(value, UnknownNode), source
        if isinstance(value, TemplateNode):  # shown as Fn::Sub writes it
            assert value.text in ("x-${AWS::Region}", "x-${Param}", "a${AWS::Region}"), source
        else:
            assert value.text == source
        assert (value.ref or "").endswith("#Role") == ("Role" in source), source


def test_subnet_keeps_its_cidr(project: Project) -> None:
    subnet = one(project, Subnet, "SubnetA")
    assert subnet.node.str("CidrBlock") == "10.0.1.0/24"
    assert isinstance(subnet.node, ObjectNode)


CORPUS_TEMPLATES = 265  # CENSUS.md: 263 CloudFormation templates and 2 copilot fragments


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not here")
def test_every_corpus_template_loads() -> None:
    project = load([str(CORPUS)])
    templates = [f for f in project.files if f.kind == "cloudformation"]
    assert len(templates) == CORPUS_TEMPLATES
    broken = {p.span.path for p in project.problems if p.code == "FG001"}
    assert not broken & {f.path for f in templates}
    assert sum(1 for _ in project.of(TaskDefinition) if _.file.kind == "cloudformation") > 100


def test_yaml_comments_suppress_findings(tmp_path: Path) -> None:
    fixture = Path(__file__).parent.parent / "fixtures/FG002/good_cfn_used_suppression.yaml"
    assert not lint([fixture], select=["FG201", "FG002"])
    bare = write(tmp_path, "stack.yaml", fixture.read_text(encoding="utf-8").replace("# f", "# "))
    assert [f.code for f in lint([bare], select=["FG201", "FG002"])] == ["FG201"]


NO_VALUE = """\
Conditions:
  IsProd: !Equals [!Ref "AWS::StackName", prod]
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Cpu: !If [IsProd, "512", "512"]
      Memory: !If [IsProd, "1024", "2048"]
      TaskRoleArn: !Ref AWS::NoValue
      ExecutionRoleArn: !If [IsProd, !Ref AWS::NoValue, !Ref "AWS::NoValue"]
      ContainerDefinitions:
        - !Ref AWS::NoValue
        - Name: web
          Image: nginx:1.27
          HealthCheck: !If
            - IsProd
            - {Command: [CMD, "true"], Interval: 10}
            - {Interval: 10, Command: [CMD, "true"]}
          Environment:
            - {Name: A, Value: "1"}
            - {Ref: "AWS::NoValue"}
          StopTimeout: !If [IsProd, 30, "30"]
"""


def test_no_value_drops_its_key_or_list_item(tmp_path: Path) -> None:
    task = one(load([str(write(tmp_path, "stack.yaml", NO_VALUE))]), TaskDefinition, "Task")
    assert "taskRoleArn" not in task.node and "executionRoleArn" not in task.node
    assert task.all_containers_known and [c.name for c in task.containers] == ["web"]
    container = task.containers[0].node
    assert [e.str("name") for e in container.objects("environment")] == ["A"]


def test_if_with_equal_known_branches_is_that_value(tmp_path: Path) -> None:
    task = one(load([str(write(tmp_path, "stack.yaml", NO_VALUE))]), TaskDefinition, "Task")
    cpu = task.node.get("cpu")
    assert isinstance(cpu, ScalarNode) and cpu.value == "512"
    assert cpu.span.line == where('"512", "512"', NO_VALUE)[0]
    assert isinstance(task.node.get("memory"), UnknownNode)  # the branches differ
    container = task.containers[0].node
    check = container.obj("healthCheck")
    assert check is not None and check.int("interval") == 10  # same object, keys in any order
    assert isinstance(container.get("stopTimeout"), UnknownNode)  # 30 and "30" differ
