"""The Terraform front-end: values, references, spans inside jsonencode / heredoc / file(),
module context, parse errors, path confinement, and the mapping of resources into the model."""

from __future__ import annotations

from pathlib import Path

import pytest
from fglint.load import load
from fglint.model import (
    Cluster,
    IamPolicy,
    IamRole,
    Project,
    ScalableTarget,
    ScalingPolicy,
    SecurityGroup,
    Service,
    TargetGroup,
    TaskDefinition,
)
from fglint.nodes import ObjectNode, ScalarNode, UnknownNode
from helpers import in_dir, lint


def module(tmp_path: Path, **files: str) -> Path:
    for name, text in files.items():
        path = tmp_path / name.replace("__", "/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def project_of(folder: Path, *names: str) -> Project:
    with in_dir(folder):
        return load(list(names) or ["."])


def task(project: Project) -> TaskDefinition:
    (found,) = project.of(TaskDefinition)
    return found


def at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """The (line, column) of the nth occurrence of `needle` in `text`."""
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def where(node: object) -> tuple[int, int]:
    assert isinstance(node, (ScalarNode, UnknownNode, ObjectNode))
    return node.span.line, node.span.col


TASK = """
resource "aws_ecs_task_definition" "app" {
  family = "app"
  cpu    = var.cpu
  memory = local.memory
  network_mode = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  execution_role_arn = aws_iam_role.execution.arn
  container_definitions = jsonencode([{ name = "app", image = "app:${var.tag}" }])
}
"""


def test_variable_default_local_and_interpolation(tmp_path: Path) -> None:
    folder = module(
        tmp_path,
        **{
            "main.tf": TASK,
            "variables.tf": 'variable "cpu" { default = 512 }\nvariable "tag" { default = "1.2" }\n'
            "locals { memory = 1024 }\n",
        },
    )
    node = task(project_of(folder)).node
    assert node.int("cpu") == 512 and node.int("memory") == 1024
    # at the literal to edit, the default, with the place the variable is used as related
    cpu = node.get("cpu")
    assert cpu is not None and (cpu.span.path, where(cpu)) == ("variables.tf", (1, 28))
    assert [(s.path, s.line, s.col) for s, _ in cpu.via] == [("main.tf", 4, 12)]
    container = task(project_of(folder)).containers[0].node
    assert container.str("image") == "app:1.2"


def test_tfvars_override_defaults_in_order(tmp_path: Path) -> None:
    folder = module(
        tmp_path,
        **{
            "main.tf": TASK,
            "variables.tf": 'variable "cpu" { default = 256 }\nvariable "tag" {}\n',
            "terraform.tfvars": 'cpu = 1024\ntag = "from-tfvars"\n',
            "b.auto.tfvars": "cpu = 4096\n",
            "a.auto.tfvars": "cpu = 2048\n",
        },
    )
    found = task(project_of(folder))
    assert found.node.int("cpu") == 4096  # *.auto.tfvars in name order win over terraform.tfvars
    assert found.containers[0].node.str("image") == "app:from-tfvars"


def test_unknowns_stay_unknown(tmp_path: Path) -> None:
    folder = module(
        tmp_path,
        **{
            "main.tf": TASK.replace("var.cpu", "var.enabled ? 256 : 512").replace(
                "local.memory", "data.aws_ssm_parameter.memory.value"
            )
        },
    )
    found = task(project_of(folder))
    assert isinstance(found.node.get("cpu"), UnknownNode)
    memory = found.node.get("memory")
    assert isinstance(memory, UnknownNode) and memory.ref == "data.aws_ssm_parameter.memory"
    image = found.containers[0].node.get("image")  # var.tag has no default
    assert isinstance(image, UnknownNode)


def test_resource_references_carry_the_address(tmp_path: Path) -> None:
    folder = module(
        tmp_path,
        **{
            "main.tf": TASK,
            "iam.tf": 'resource "aws_iam_role" "execution" {\n  name = "exec"\n}\n',
        },
    )
    project = project_of(folder)
    role_ref = task(project).node.get("executionRoleArn")
    assert isinstance(role_ref, UnknownNode) and role_ref.ref == "aws_iam_role.execution"
    role = project.resolve(role_ref, IamRole)
    assert role is not None and role.node.str("RoleName") == "exec"


def test_literal_attribute_of_another_resource_is_known(tmp_path: Path) -> None:
    folder = module(
        tmp_path,
        **{
            "main.tf": """
resource "aws_lb_target_group" "app" {
  deregistration_delay = 45
}
resource "aws_ecs_task_definition" "app" {
  family = "app"
  container_definitions = jsonencode([{
    name = "app", image = "app:1", stopTimeout = aws_lb_target_group.app.deregistration_delay
  }])
}
"""
        },
    )
    container = task(project_of(folder)).containers[0].node
    assert container.int("stopTimeout") == 45


def test_jsonencode_keeps_positions_in_the_tf_file(tmp_path: Path) -> None:
    folder = module(tmp_path, **{"main.tf": TASK})
    container = task(project_of(folder)).containers[0].node
    assert where(container) == at(TASK, "{ name")
    assert (container.keys["image"].line, container.keys["image"].col) == at(TASK, "image =")


def test_heredoc_json_keeps_positions_and_resolves_templates(tmp_path: Path) -> None:
    folder = module(
        tmp_path,
        **{
            "main.tf": """variable "image" { default = "nginx:latest" }
resource "aws_ecs_task_definition" "app" {
  family = "app"
  container_definitions = <<-EOT
    [
      {
        "name": "app",
        "image": "${var.image}",
        "cpu": ${var.cpu},
        "memory": 512
      }
    ]
  EOT
}
"""
        },
    )
    container = task(project_of(folder)).containers[0].node
    assert container.str("image") == "nginx:latest"
    image = container.get("image")
    assert image is not None and where(image) == (1, 30)  # the default, used on line 8
    assert [(s.line, s.col) for s, _ in image.via] == [(8, 21)]
    assert isinstance(container.get("cpu"), UnknownNode) and where(container.get("cpu")) == (9, 16)
    assert where(container.get("memory")) == (10, 19)


def test_file_reads_json_beside_the_module_with_a_related_location(tmp_path: Path) -> None:
    folder = module(
        tmp_path,
        **{
            "main.tf": 'resource "aws_ecs_task_definition" "app" {\n  family = "app"\n'
            '  container_definitions = file("${path.module}/defs/app.json")\n}\n',
            "defs__app.json": '[\n  {"name": "app", "image": "nginx"}\n]\n',
        },
    )
    project = project_of(folder, "main.tf")
    container = task(project).containers[0].node
    image = container.get("image")
    assert image is not None and image.span.path == "defs/app.json"
    assert where(image) == (2, 28)  # `"nginx"` on the JSON file's second line
    with in_dir(folder):
        findings = lint(["main.tf"], select=["FG201"])
    assert [(f.span.path, f.span.line) for f in findings] == [("defs/app.json", 2)]
    assert findings[0].related[0][0].path == "main.tf"
    assert findings[0].related[0][0].line == 3


def test_templatefile_substitutes_its_vars(tmp_path: Path) -> None:
    folder = module(
        tmp_path,
        **{
            "main.tf": 'resource "aws_ecs_task_definition" "app" {\n'
            '  container_definitions = templatefile("app.json.tpl", { tag = "v1" })\n}\n',
            "app.json.tpl": '[{"name": "app", "image": "app:${tag}", "cpu": ${cpu}}]\n',
        },
    )
    container = task(project_of(folder, "main.tf")).containers[0].node
    assert container.str("image") == "app:v1"
    assert where(container.get("image")) == (1, 27)  # the template's string, made whole
    assert isinstance(container.get("cpu"), UnknownNode)  # `cpu` is not in the vars map
    assert where(container.get("cpu")) == (1, 48)  # `${cpu}` in the template


def test_file_outside_the_scanned_root_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret.json"
    outside.write_text('[{"name": "x", "image": "x"}]', encoding="utf-8")
    root = module(
        tmp_path / "repo",
        **{
            "main.tf": 'resource "aws_ecs_task_definition" "app" {\n'
            '  container_definitions = file("../secret.json")\n}\n',
        },
    )
    (root / "link.json").symlink_to(outside)
    project = project_of(root)
    assert isinstance(task(project).node.get("containerDefinitions"), UnknownNode)
    (root / "main.tf").write_text(
        'resource "aws_ecs_task_definition" "app" {\n'
        '  container_definitions = file("link.json")\n}\n',
        encoding="utf-8",
    )
    project = project_of(root)
    assert isinstance(task(project).node.get("containerDefinitions"), UnknownNode)
    assert all("secret" not in f.abspath for f in project.files)


def test_broken_file_is_fg001_at_the_position_and_others_still_lint(tmp_path: Path) -> None:
    folder = module(
        tmp_path,
        **{
            "a_broken.tf": 'resource "aws_ecs_task_definition" "x" {\n'
            '  family = "x"\n  cpu = \n}\n',
            "b_ok.tf": TASK.replace("${var.tag}", "latest"),
        },
    )
    with in_dir(folder):
        findings = lint(["."], select=["FG001", "FG201"])
    assert [(f.code, f.span.path, f.span.line, f.span.col) for f in findings] == [
        ("FG001", "a_broken.tf", 3, 9),  # right after `cpu = `, where a value belongs
        ("FG201", "b_ok.tf", *at(TASK, '"app:')),
    ]
    assert findings[0].message == "Invalid HCL: expected a value"


def test_module_context_is_loaded_but_only_asked_files_report(tmp_path: Path) -> None:
    folder = module(
        tmp_path,
        **{
            "main.tf": TASK.replace("var.cpu", "256").replace("${var.tag}", "latest"),
            "other.tf": 'locals { memory = 512 }\nresource "aws_ecs_task_definition" "o" {\n'
            '  container_definitions = jsonencode([{ name = "o", image = "o" }])\n}\n',
        },
    )
    with in_dir(folder):
        only_main = lint(["main.tf"], select=["FG201"])
        both = lint(["main.tf", "other.tf"], select=["FG201"])
    assert {f.span.path for f in only_main} == {"main.tf"}
    assert {f.span.path for f in both} == {"main.tf", "other.tf"}
    assert (
        task_of(project_of(folder, "main.tf"), "aws_ecs_task_definition.app").node.int("memory")
        == 512
    )


def task_of(project: Project, address: str) -> TaskDefinition:
    found = next((r for r in project.resources if r.address == address), None)
    assert isinstance(found, TaskDefinition)
    return found


SERVICE = """
resource "aws_ecs_cluster" "main" {
  name = "prod"
  setting {
    name  = "containerInsights"
    value = "enhanced"
  }
}
resource "aws_ecs_cluster_capacity_providers" "main" {
  cluster_name       = aws_ecs_cluster.main.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]
  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    base              = 1
  }
}
resource "aws_ecs_service" "web" {
  name                               = "web"
  cluster                            = aws_ecs_cluster.main.id
  task_definition                    = aws_ecs_task_definition.app.arn
  desired_count                      = 2
  deployment_minimum_healthy_percent = 100
  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }
  network_configuration {
    subnets          = [aws_subnet.a.id, "subnet-123"]
    security_groups  = [aws_security_group.web.id]
    assign_public_ip = false
  }
  load_balancer {
    target_group_arn = aws_lb_target_group.web.arn
    container_name   = "app"
    container_port   = 8080
  }
}
resource "aws_lb_target_group" "web" {
  target_type          = "ip"
  deregistration_delay = "30"
  health_check {
    path    = "/health"
    matcher = "200-299"
  }
}
resource "aws_security_group" "web" {
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_vpc_security_group_ingress_rule" "lb" {
  security_group_id            = aws_security_group.web.id
  referenced_security_group_id = aws_security_group.lb.id
  from_port                    = 8080
  to_port                      = 8080
  ip_protocol                  = "tcp"
}
resource "aws_appautoscaling_target" "web" {
  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.main.name}/${aws_ecs_service.web.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = 2
  max_capacity       = 10
}
resource "aws_appautoscaling_policy" "cpu" {
  name               = "cpu"
  policy_type        = "TargetTrackingScaling"
  resource_id        = aws_appautoscaling_target.web.resource_id
  scalable_dimension = aws_appautoscaling_target.web.scalable_dimension
  service_namespace  = aws_appautoscaling_target.web.service_namespace
  target_tracking_scaling_policy_configuration {
    target_value = 60
    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}
"""


def test_service_cluster_target_group_and_scaling_shapes(tmp_path: Path) -> None:
    project = project_of(module(tmp_path, **{"main.tf": SERVICE}))
    (service,) = project.of(Service)
    node = service.node
    assert node.str("serviceName") == "web" and node.int("desiredCount") == 2
    deployment = node.obj("deploymentConfiguration")
    assert deployment is not None and deployment.int("minimumHealthyPercent") == 100
    breaker = deployment.obj("deploymentCircuitBreaker")
    assert breaker is not None and breaker.bool("rollback") is True
    vpc = node.obj("networkConfiguration")
    assert vpc is not None
    awsvpc = vpc.obj("awsvpcConfiguration")
    assert awsvpc is not None and awsvpc.str("assignPublicIp") == "DISABLED"
    (balancer,) = node.objects("loadBalancers")
    assert balancer.int("containerPort") == 8080
    group = project.resolve(balancer.get("targetGroupArn"), TargetGroup)
    assert group is not None and group.node.str("DeregistrationDelay") == "30"
    assert group.node.str("HealthCheckPath") == "/health"
    matcher = group.node.obj("Matcher")
    assert matcher is not None and matcher.str("HttpCode") == "200-299"
    (cluster,) = project.of(Cluster)
    assert cluster.node.str("clusterName") == "prod"
    assert [s.str("value") for s in cluster.node.objects("settings")] == ["enhanced"]
    assert cluster.node.list("capacityProviders")[1].to_python() == "FARGATE_SPOT"
    (strategy,) = cluster.node.objects("defaultCapacityProviderStrategy")
    assert strategy.int("base") == 1
    (security_group,) = project.of(SecurityGroup)
    permissions = security_group.node.objects("IpPermissions")
    assert [p.int("FromPort") for p in permissions] == [443, 8080]
    assert permissions[0].objects("IpRanges")[0].str("CidrIp") == "0.0.0.0/0"
    pair = permissions[1].objects("UserIdGroupPairs")[0].get("GroupId")
    assert isinstance(pair, UnknownNode) and pair.ref == "aws_security_group.lb"
    (target,) = project.of(ScalableTarget)
    assert target.node.str("ResourceId") == "service/prod/web"
    (policy,) = project.of(ScalingPolicy)
    assert policy.node.str("ResourceId") == "service/prod/web"
    configuration = policy.node.obj("TargetTrackingScalingPolicyConfiguration")
    assert configuration is not None and configuration.int("TargetValue") == 60


IAM = """
data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}
data "aws_iam_policy_document" "secrets" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/*"]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/team"
      values   = ["checkout"]
    }
  }
}
resource "aws_iam_role" "execution" {
  name               = "execution"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  inline_policy {
    name   = "logs"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = "logs:*", Resource = "*" }]
    })
  }
}
resource "aws_iam_role_policy" "secrets" {
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.secrets.json
}
resource "aws_iam_policy" "ecr" {
  policy = <<EOF
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ecr:*", "Resource": "*"}]}
EOF
}
resource "aws_iam_role_policy_attachment" "ecr" {
  role       = aws_iam_role.execution.name
  policy_arn = aws_iam_policy.ecr.arn
}
resource "aws_iam_role_policy_attachment" "managed" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}
"""


def test_iam_roles_policies_and_documents(tmp_path: Path) -> None:
    project = project_of(module(tmp_path, **{"main.tf": IAM}))
    (role,) = project.of(IamRole)
    trust = role.node.obj("AssumeRolePolicyDocument")
    assert trust is not None
    (statement,) = trust.objects("Statement")
    assert statement.str("Effect") == "Allow"  # the data source's default
    principal = statement.obj("Principal")
    assert principal is not None and principal.list("Service")[0].to_python() == (
        "ecs-tasks.amazonaws.com"
    )
    names = sorted(p.name for p in role.policies)
    assert names == [
        "aws_iam_policy.ecr",
        "aws_iam_role.execution.inline_policy",
        "aws_iam_role_policy.secrets",
    ]
    assert all(p.roles == ["aws_iam_role.execution"] for p in role.policies)
    secrets = next(p for p in role.policies if p.name == "aws_iam_role_policy.secrets")
    (allow,) = secrets.node.objects("Statement")
    condition = allow.obj("Condition")
    assert condition is not None and "StringEquals" in condition
    ecr = next(p for p in role.policies if p.name == "aws_iam_policy.ecr")
    statement_at = ecr.node.objects("Statement")[0].span
    assert (statement_at.line, statement_at.col) == at(IAM, '{"Effect": "Allow", "Action": "ecr')
    assert [n.to_python() for n in role.managed_policy_arns] == [
        "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
    ]
    # The trust document is the role's, not a policy of its own; the used documents are held
    # by their resources.
    assert sorted(p.name for p in project.of(IamPolicy)) == names


def test_counted_to_zero_is_not_created_and_dynamic_blocks_are_unknown(tmp_path: Path) -> None:
    folder = module(
        tmp_path,
        **{
            "main.tf": 'resource "aws_ecs_service" "off" {\n  count = 0\n}\n'
            'resource "aws_ecs_service" "on" {\n  dynamic "load_balancer" {\n'
            "    for_each = var.lbs\n    content {}\n  }\n}\n"
        },
    )
    project = project_of(folder)
    (service,) = project.of(Service)
    assert service.address == "aws_ecs_service.on"
    assert not service.node.list("loadBalancers")[0].known


MODULE_WITH_PRECONDITION = """
variable "proxy" {
  default = true
}
variable "compatibilities" {
  default = ["EC2", "FARGATE"]
}
resource "aws_ecs_task_definition" "this" {
  family                   = "mesh"
  requires_compatibilities = var.compatibilities
  lifecycle {
    precondition {
      condition     = !(var.proxy && contains(var.compatibilities, "FARGATE"))
      error_message = "The proxy needs EC2."
    }
  }
}
"""


@pytest.mark.parametrize(
    ("caller", "built"),
    [
        ("", []),  # the module alone, at its defaults, which its precondition refuses
        ('module "ec2" {\n  source = "./mesh"\n  compatibilities = ["EC2"]\n}\n', ["ec2"]),
        ('module "off" {\n  source = "./mesh"\n  proxy = false\n}\n', ["off"]),
        ('module "on" {\n  source = "./mesh"\n}\n', []),
        ('variable "p" {}\nmodule "open" {\n  source = "./mesh"\n  proxy = var.p\n}\n', ["open"]),
    ],
)
def test_a_failing_precondition_creates_nothing(
    tmp_path: Path, caller: str, built: list[str]
) -> None:
    folder = module(tmp_path, **{"mesh__main.tf": MODULE_WITH_PRECONDITION, "main.tf": caller})
    if not caller:
        assert list(project_of(folder / "mesh").of(TaskDefinition)) == []
        return
    names = [t.name for t in project_of(folder, "main.tf").of(TaskDefinition)]
    # the instance of each call whose inputs pass the precondition, or leave it unknown
    assert names == [f"module.{name}.aws_ecs_task_definition.this" for name in built]


def test_grammar_cache_falls_back_when_not_writable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fglint.cache import user_cache_dir

    blocker = tmp_path / "not-a-directory"  # a file: no one, root included, can mkdir under it
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert user_cache_dir() is None


def test_grammar_cache_lives_in_the_user_cache_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fglint.frontends.terraform import parse as tf_parse

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    tf_parse.parser.cache_clear()
    try:
        tf_parse.parser()
        files = list((tmp_path / "fglint").iterdir())
        assert len(files) == 1 and files[0].name.startswith("hcl2-")
        assert not files[0].name.endswith(".tmp")
    finally:
        tf_parse.parser.cache_clear()


def test_sibling_tf_linking_out_of_the_root_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.tf"
    outside.write_text('resource "aws_ecs_cluster" "x" {\n  name = "x"\n}\n', encoding="utf-8")
    root = module(tmp_path / "repo", **{"main.tf": TASK})
    (root / "linked.tf").symlink_to(outside)
    project = project_of(root, "main.tf")
    assert list(project.of(Cluster)) == []
    assert all(not f.abspath.endswith("linked.tf") for f in project.files)
