"""fglint: a static linter for AWS ECS-on-Fargate configuration."""

__version__ = "0.1.0"
