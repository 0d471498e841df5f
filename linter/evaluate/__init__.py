"""The evaluator: a small value algebra and the functions Terraform and CloudFormation share."""
