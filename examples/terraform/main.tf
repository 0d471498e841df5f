# A Fargate service as many teams first write it. `fglint check examples/` explains what is wrong.

resource "aws_ecs_task_definition" "auth" {
  family                   = "auth"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.execution.arn

  container_definitions = jsonencode([
    {
      name         = "app"
      image        = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/auth:1.8.2"
      essential    = true
      command      = ["sh", "-c", "java -jar app.jar"]
      portMappings = [{ containerPort = 8080, protocol = "tcp" }]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = "/ecs/auth"
          awslogs-region        = "eu-west-1"
          awslogs-stream-prefix = "app"
          mode                  = "non-blocking"
          max-buffer-size       = "25m"
        }
      }
    }
  ])
}

resource "aws_lb_target_group" "auth" {
  name        = "auth-tg"
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = "vpc-0abc1234"
}

resource "aws_ecs_service" "auth" {
  name            = "auth"
  cluster         = "prod-cluster"
  task_definition = aws_ecs_task_definition.auth.arn
  desired_count   = 4
  launch_type     = "FARGATE"

  network_configuration {
    subnets          = ["subnet-0aaa1111", "subnet-0bbb2222"]
    security_groups  = ["sg-0task55555"]
    assign_public_ip = true
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.auth.arn
    container_name   = "app"
    container_port   = 8080
  }
}

resource "aws_iam_role" "execution" {
  name = "auth-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}
