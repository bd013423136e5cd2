# The stackdraw site: a private S3 bucket behind CloudFront with Origin Access
# Control, and the role its CircleCI pipeline deploys with. The same
# infrastructure as ../cloudformation.yaml.

terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.19"
    }
  }
}

provider "aws" {
  # CloudFront's certificate must live in us-east-1; everything else here is
  # global or fine there too.
  region = "us-east-1"
}
