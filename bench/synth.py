"""Synthetic inputs for the benchmarks.

    python bench/synth.py N DEST [--corpus ../shared/corpus]
    python bench/synth.py --module 50 DEST

A monorepo: N copies of the corpus, each in a folder of its own, the shape of a repository with
one folder per environment that reuses family, service and resource names: every name is
defined N times, once per folder, so lookups by name must keep to their folder and cost must
grow with N, not N squared.

A Terraform module of N files (`--module`), written from scratch here (nothing copied from the
corpus): variables.tf, locals.tf, and one file per service with its task definition
(jsonencode container definitions), service, target group, scaling target and policy, security
group and IAM role, reading the module's variables and locals, so that a file given alone (as
pre-commit gives a changed one) needs the whole module to be evaluated.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def default_corpus() -> Path:
    """../shared/corpus beside the repository (or beside the folder of git worktrees)."""
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / "corpus").is_dir():
            return base / "shared" / "corpus"
    return ROOT.parent / "shared" / "corpus"


def build(copies: int, dest: Path, corpus: Path) -> int:
    """Fill `dest` (emptied first) with `copies` copies of `corpus`; the number of files."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    files = 0
    for number in range(1, copies + 1):
        shutil.copytree(corpus, dest / f"env-{number:03d}", symlinks=True)
        files += sum(1 for p in (dest / f"env-{number:03d}").rglob("*") if p.is_file())
    return files


VARIABLES = """\
variable "environment" {
  type    = string
  default = "staging"
}

variable "cluster_arn" {
  type    = string
  default = "arn:aws:ecs:eu-west-1:123456789012:cluster/main"
}

variable "vpc_id" {
  type    = string
  default = "vpc-0123456789abcdef0"
}

variable "subnet_ids" {
  type    = list(string)
  default = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]
}

variable "image_tag" {
  type    = string
  default = "1.27.0"
}
"""

LOCALS = """\
locals {
  name_prefix = "shop-${var.environment}"
  log_group   = "/ecs/${local.name_prefix}"
  sizes = {
    small  = { cpu = 256, memory = 512 }
    medium = { cpu = 512, memory = 1024 }
    large  = { cpu = 1024, memory = 2048 }
  }
  common_tags = { Environment = var.environment, Owner = "platform" }
}
"""

SERVICE = """\
resource "aws_iam_role" "svc{n}_task" {{
  name = "${{local.name_prefix}}-svc{n}-task"
  assume_role_policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = {{ Service = "ecs-tasks.amazonaws.com" }}
    }}]
  }})
  tags = local.common_tags
}}

resource "aws_security_group" "svc{n}" {{
  name   = "${{local.name_prefix}}-svc{n}"
  vpc_id = var.vpc_id
  ingress {{
    from_port   = {port}
    to_port     = {port}
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }}
  egress {{
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }}
}}

resource "aws_ecs_task_definition" "svc{n}" {{
  family                   = "${{local.name_prefix}}-svc{n}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = local.sizes["{size}"].cpu
  memory                   = local.sizes["{size}"].memory
  task_role_arn            = aws_iam_role.svc{n}_task.arn
  execution_role_arn       = aws_iam_role.svc{n}_task.arn
  container_definitions = jsonencode([{{
    name         = "app"
    image        = "registry.example.com/svc{n}:${{var.image_tag}}"
    essential    = true
    stopTimeout  = 30
    portMappings = [{{ containerPort = {port}, protocol = "tcp" }}]
    environment  = [{{ name = "SERVICE", value = "svc{n}" }}]
    healthCheck = {{
      command     = ["CMD-SHELL", "curl -f http://localhost:{port}/health || exit 1"]
      interval    = 30
      startPeriod = 20
    }}
    logConfiguration = {{
      logDriver = "awslogs"
      options = {{
        awslogs-group         = local.log_group
        awslogs-region        = "eu-west-1"
        awslogs-stream-prefix = "svc{n}"
      }}
    }}
  }}])
  tags = local.common_tags
}}

resource "aws_lb_target_group" "svc{n}" {{
  name                 = "svc{n}-${{var.environment}}"
  port                 = {port}
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = var.vpc_id
  deregistration_delay = 20
  health_check {{
    path = "/health"
  }}
}}

resource "aws_ecs_service" "svc{n}" {{
  name                              = "svc{n}"
  cluster                           = var.cluster_arn
  task_definition                   = aws_ecs_task_definition.svc{n}.arn
  desired_count                     = 2
  launch_type                       = "FARGATE"
  health_check_grace_period_seconds = 60
  network_configuration {{
    subnets         = var.subnet_ids
    security_groups = [aws_security_group.svc{n}.id]
  }}
  load_balancer {{
    target_group_arn = aws_lb_target_group.svc{n}.arn
    container_name   = "app"
    container_port   = {port}
  }}
  deployment_circuit_breaker {{
    enable   = true
    rollback = true
  }}
}}

resource "aws_appautoscaling_target" "svc{n}" {{
  service_namespace  = "ecs"
  resource_id        = "service/main/${{aws_ecs_service.svc{n}.name}}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = 2
  max_capacity       = 10
}}

resource "aws_appautoscaling_policy" "svc{n}_cpu" {{
  name               = "svc{n}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.svc{n}.service_namespace
  resource_id        = aws_appautoscaling_target.svc{n}.resource_id
  scalable_dimension = aws_appautoscaling_target.svc{n}.scalable_dimension
  target_tracking_scaling_policy_configuration {{
    target_value = 60
    predefined_metric_specification {{
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }}
  }}
}}
"""


def module(files: int, dest: Path) -> list[Path]:
    """Write a Terraform module of `files` files into `dest` (emptied first); its paths."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    written = {"variables.tf": VARIABLES, "locals.tf": LOCALS}
    for n in range(1, files - 1):
        size = ("small", "medium", "large")[n % 3]
        written[f"service_{n:02d}.tf"] = SERVICE.format(n=n, port=8000 + n, size=size)
    for name, text in written.items():
        (dest / name).write_text(text, encoding="utf-8")
    return sorted(dest / name for name in written)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("copies", type=int, help="copies of the corpus, or files with --module")
    parser.add_argument("dest", type=Path)
    parser.add_argument("--corpus", type=Path, default=default_corpus())
    parser.add_argument("--module", action="store_true", help="a Terraform module of N files")
    options = parser.parse_args()
    if options.module:
        written = module(options.copies, options.dest)
        print(f"{options.dest}: a Terraform module of {len(written)} files")
        return
    files = build(options.copies, options.dest, options.corpus)
    print(f"{options.dest}: {options.copies} copies, {files} files")


if __name__ == "__main__":
    main()
