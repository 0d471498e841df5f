"""What the Terraform evaluator knows and what it leaves unknown: expressions, instances,
modules, var files, and the confinement of everything it reads."""

from __future__ import annotations

import json
from pathlib import Path

from fglint.load import load
from fglint.model import Service, TaskDefinition
from fglint.nodes import ListNode, ScalarNode, TemplateNode, UnknownNode
from helpers import in_dir
from test_terraform import module


def tasks(folder: Path, **kw: object) -> dict[str, TaskDefinition]:
    with in_dir(folder):
        project = load(["."], **kw)  # type: ignore[arg-type]
    return {task.name: task for task in project.of(TaskDefinition)}


def services(folder: Path) -> dict[str, Service]:
    with in_dir(folder):
        project = load(["."])
    return {service.name: service for service in project.of(Service)}


def task_tf(cpu: str, image: str = '"app:1.0"', extra: str = "") -> str:
    return f"""
resource "aws_ecs_task_definition" "app" {{
  family = "app"
  cpu    = {cpu}
  {extra}
  container_definitions = jsonencode([{{ name = "app", image = {image} }}])
}}
"""


def test_operators_conditionals_and_for_expressions(tmp_path: Path) -> None:
    folder = module(
        tmp_path,
        **{
            "main.tf": task_tf(
                'var.big ? 256 * 4 : 256 + 0 == 256 ? "x" : "y"',
                image='[for n in ["a", "b"] : "${n}:1" if n != "a"][0]',
            ),
            "variables.tf": 'variable "big" { default = true }\n',
        },
    )
    task = tasks(folder)["aws_ecs_task_definition.app"]
    assert task.node.int("cpu") == 1024
    assert task.containers[0].node.str("image") == "b:1"


def test_an_unknown_condition_is_unknown_unless_both_branches_agree(tmp_path: Path) -> None:
    folder = module(
        tmp_path, **{"main.tf": task_tf("var.big ? 512 : 512", image='var.x ? "a" : "b"')}
    )
    task = tasks(folder)["aws_ecs_task_definition.app"]
    assert task.node.int("cpu") == 512
    assert isinstance(task.containers[0].node.get("image"), UnknownNode)


def test_count_zero_removes_a_resource_and_for_each_makes_instances(tmp_path: Path) -> None:
    folder = module(
        tmp_path,
        **{
            "main.tf": task_tf("256", extra="count = 0")
            + """
resource "aws_ecs_task_definition" "each" {
  for_each = { api = 256, worker = 512 }
  family   = each.key
  cpu      = each.value
  container_definitions = jsonencode([{ name = each.key, image = "${each.key}:1" }])
}
resource "aws_ecs_task_definition" "unknown" {
  for_each = var.families
  family   = each.key
}
"""
        },
    )
    found = tasks(folder)
    assert "aws_ecs_task_definition.app" not in found
    assert found['aws_ecs_task_definition.each["api"]'].node.int("cpu") == 256
    assert found['aws_ecs_task_definition.each["worker"]'].containers[0].node.str("image") == (
        "worker:1"
    )
    unknown = found["aws_ecs_task_definition.unknown"]  # one instance whose key is unknown
    assert isinstance(unknown.node.get("family"), UnknownNode)


def test_var_file_wins_over_tfvars(tmp_path: Path) -> None:
    folder = module(
        tmp_path,
        **{
            "main.tf": task_tf("var.cpu"),
            "variables.tf": 'variable "cpu" { default = 256 }\n',
            "terraform.tfvars": "cpu = 512\n",
            "prod.tfvars": "cpu = 2048\n",
        },
    )
    assert tasks(folder)["aws_ecs_task_definition.app"].node.int("cpu") == 512
    with_file = tasks(folder, var_files=[str(folder / "prod.tfvars")])
    cpu = with_file["aws_ecs_task_definition.app"].node.get("cpu")
    assert isinstance(cpu, ScalarNode) and cpu.value == 2048 and cpu.span.path == "prod.tfvars"


def test_a_var_file_outside_the_root_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "outside.tfvars").write_text("cpu = 4096\n", encoding="utf-8")
    folder = module(tmp_path / "repo", **{"main.tf": task_tf("var.cpu")})
    found = tasks(folder, var_files=[str(tmp_path / "outside.tfvars")])
    assert isinstance(found["aws_ecs_task_definition.app"].node.get("cpu"), UnknownNode)


def test_a_partly_known_string_keeps_its_literal_parts(tmp_path: Path) -> None:
    folder = module(tmp_path, **{"main.tf": task_tf("256", image='"${var.repo}:latest"')})
    image = tasks(folder)["aws_ecs_task_definition.app"].containers[0].node.get("image")
    assert isinstance(image, TemplateNode) and image.suffix() == ":latest"


def test_a_module_outside_the_root_or_in_a_cycle_is_not_followed(tmp_path: Path) -> None:
    outside = module(tmp_path / "outside", **{"main.tf": task_tf("256")})
    repo = module(
        tmp_path / "repo",
        **{
            "main.tf": f'module "out" {{\n  source = "{Path("..") / outside.name}"\n}}\n'
            'module "self" {\n  source = "./"\n}\n'
            'module "loop" {\n  source = "./loop"\n}\n',
            "loop/main.tf": 'module "back" {\n  source = "../"\n}\n' + task_tf("512"),
        },
    )
    found = tasks(repo)
    assert not [name for name in found if "module.out" in name]
    # the loop's own task, and once through `module.loop`; never through the cycle back
    assert sorted(found) == [
        "aws_ecs_task_definition.app",
        "module.loop.aws_ecs_task_definition.app",
    ]


def test_module_outputs_and_splats(tmp_path: Path) -> None:
    folder = module(
        tmp_path,
        **{
            "main.tf": 'module "images" {\n  source = "./images"\n  tag = "2.1"\n}\n'
            + task_tf("256", image="(module.images.images[*].ref)[0]"),
            "images/main.tf": 'variable "tag" {}\n'
            'output "images" { value = [{ ref = "api:${var.tag}" }] }\n',
        },
    )
    image = tasks(folder)["aws_ecs_task_definition.app"].containers[0].node.get("image")
    assert isinstance(image, ScalarNode) and image.value == "api:2.1"


def test_dynamic_blocks_expand_with_their_iterator(tmp_path: Path) -> None:
    folder = module(
        tmp_path,
        **{
            "main.tf": """
resource "aws_ecs_service" "api" {
  name = "api"
  dynamic "load_balancer" {
    for_each = { web = 80, admin = 8080 }
    iterator = lb
    content {
      container_name = lb.key
      container_port = lb.value
    }
  }
  dynamic "capacity_provider_strategy" {
    for_each = var.strategy
    content {
      capacity_provider = capacity_provider_strategy.value
    }
  }
}
"""
        },
    )
    service = services(folder)["aws_ecs_service.api"]
    balancers = service.node.get("loadBalancers")
    assert isinstance(balancers, ListNode)
    assert [
        (b.str("containerName"), b.int("containerPort"))
        for b in service.node.objects("loadBalancers")
    ] == [
        ("web", 80),
        ("admin", 8080),
    ]
    strategy = service.node.get("capacityProviderStrategy")
    assert isinstance(strategy, ListNode) and isinstance(strategy.items[0], UnknownNode)


def test_tf_json_values_keep_their_positions(tmp_path: Path) -> None:
    folder = module(
        tmp_path,
        **{
            "main.tf.json": '{"resource": {"aws_ecs_task_definition": {"app": {\n'
            '  "family": "app",\n'
            '  "cpu": "${var.cpu}",\n'
            '  "container_definitions":\n'
            '  "${jsonencode([{ name = \\"a\\", image = \\"x:latest\\" }])}"\n'
            "}}},\n"
            '"variable": {"cpu": {"default": 512}}}\n'
        },
    )
    task = tasks(folder)["aws_ecs_task_definition.app"]
    cpu = task.node.get("cpu")
    assert (
        isinstance(cpu, ScalarNode)
        and cpu.value == 512
        and (cpu.span.line, cpu.span.col) == (7, 33)
    )
    image = task.containers[0].node.get("image")
    assert isinstance(image, ScalarNode) and image.value == "x:latest"
    line = (folder / "main.tf.json").read_text().splitlines()[image.span.line - 1]
    assert line[image.span.col - 1 :].startswith('\\"x:latest')


def test_a_file_passed_to_a_module_is_read_as_its_json(tmp_path: Path) -> None:
    # a public module's example did this and crashed the evaluator (an internal error)
    module(
        tmp_path,
        **{
            "m/main.tf": 'variable "defs" {}\n'
            + task_tf("256").replace(
                'jsonencode([{ name = "app", image = "app:1.0" }])', "var.defs"
            ),
            "root/main.tf": 'module "svc" {\n  source = "../m"\n'
            '  defs   = file("${path.module}/defs.json")\n}\n',
            "root/defs.json": '[{"name": "a", "image": "nginx:latest"}]\n',
        },
    )
    found = tasks(tmp_path)
    image = found["module.svc.aws_ecs_task_definition.app"].containers[0].node.get("image")
    assert isinstance(image, ScalarNode) and image.value == "nginx:latest"
    assert image.span.path == "root/defs.json"


def test_a_registry_module_resolves_after_terraform_init(tmp_path: Path) -> None:
    call = (
        'module "svc" {\n  source  = "acme/service/aws"\n  version = "1.0"\n'
        '  image = "nginx:latest"\n}\n'
    )
    installed = 'variable "image" {}\n' + task_tf("256", image="var.image")
    folder = module(tmp_path, **{"main.tf": call})
    assert not [name for name in tasks(folder) if name.startswith("module.svc")]  # not installed
    module(folder / ".terraform" / "modules" / "svc", **{"main.tf": installed})
    manifest = json.dumps({"Modules": [{"Key": "svc", "Dir": ".terraform/modules/svc"}]})
    (folder / ".terraform" / "modules" / "modules.json").write_text(manifest, encoding="utf-8")
    image = tasks(folder)["module.svc.aws_ecs_task_definition.app"].containers[0].node.get("image")
    assert isinstance(image, ScalarNode) and image.value == "nginx:latest"
    assert (image.span.path, image.span.line) == ("main.tf", 4)  # the caller's literal


def test_division_by_zero_is_invalid_not_a_crash(tmp_path: Path) -> None:
    # found by the long fuzz profile: `family = (0 / 0)` was an internal error
    folder = module(tmp_path, **{"main.tf": task_tf("256 / 0", extra="family = (0 / 0) % 0")})
    task = tasks(folder)["aws_ecs_task_definition.app"]
    assert isinstance(task.node.get("cpu"), UnknownNode)


def test_newlines_and_strip_markers_inside_interpolations(tmp_path: Path) -> None:
    """HCL ignores newlines inside `${ }` (terraform fmt writes long ones that way), and `~`
    strips the whitespace beside the interpolation; python-hcl2's grammar rejected both."""
    image = '"nginx:${\n    var.tag # pinned\n  }-${~ "  x  " ~}  y"'
    folder = module(
        tmp_path,
        **{
            "main.tf": task_tf("256", image=image),
            "variables.tf": 'variable "tag" { default = "1.2" }\n',
        },
    )
    task = tasks(folder)["aws_ecs_task_definition.app"]
    assert task.containers[0].node.str("image") == "nginx:1.2-  x  y"
