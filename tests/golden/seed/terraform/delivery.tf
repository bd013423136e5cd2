resource "aws_ecr_repository" "ecr_api" {
  # checkov:skip=CKV_AWS_136:AES256 encryption at rest; a customer managed key is the user's choice
  name                 = "myapp"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "AES256"
  }

  tags = {
    Name = "myapp"
  }
}

resource "aws_ecr_repository" "ecr_nginx" {
  # checkov:skip=CKV_AWS_136:AES256 encryption at rest; a customer managed key is the user's choice
  name                 = "myapp-nginx"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "AES256"
  }

  tags = {
    Name = "myapp-nginx"
  }
}

resource "aws_iam_openid_connect_provider" "pipeline" {
  url            = "https://oidc.circleci.com/org/${var.circleci_organization_id}"
  client_id_list = [var.circleci_organization_id]
}

resource "aws_iam_role" "pipeline_deploy" {
  name = "myapp-circleci-deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Principal = {
          Federated = aws_iam_openid_connect_provider.pipeline.arn
        }
        Action = "sts:AssumeRoleWithWebIdentity"
        Condition = {
          StringEquals = { "oidc.circleci.com/org/${var.circleci_organization_id}:aud" = var.circleci_organization_id }
          StringLike   = { "oidc.circleci.com/org/${var.circleci_organization_id}:sub" = "org/${var.circleci_organization_id}/project/*" }
        }
      },
    ]
  })
}

resource "aws_iam_role_policy" "pipeline_deploy" {
  name = "deploy"
  role = aws_iam_role.pipeline_deploy.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "ecr:GetAuthorizationToken"
        Resource = "*"
      },
      {
        Effect = "Allow"
        Action = [
          "ecr:BatchCheckLayerAvailability",
          "ecr:BatchGetImage",
          "ecr:CompleteLayerUpload",
          "ecr:DescribeImages",
          "ecr:DescribeRepositories",
          "ecr:InitiateLayerUpload",
          "ecr:PutImage",
          "ecr:UploadLayerPart",
        ]
        Resource = [aws_ecr_repository.ecr_nginx.arn, aws_ecr_repository.ecr_api.arn]
      },
      {
        Effect   = "Allow"
        Action   = ["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"]
        Resource = "*"
      },
      {
        Effect   = "Allow"
        Action   = ["ecs:UpdateService", "ecs:DescribeServices"]
        Resource = [aws_ecs_service.service.id]
      },
      {
        Effect   = "Allow"
        Action   = "iam:PassRole"
        Resource = [aws_iam_role.service_execution.arn]
        Condition = {
          StringEquals = {
            "iam:PassedToService" = "ecs-tasks.amazonaws.com"
          }
        }
      },
      {
        Effect   = "Allow"
        Action   = ["s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
        Resource = [aws_s3_bucket.frontend.arn, "${aws_s3_bucket.frontend.arn}/*"]
      },
      {
        Effect   = "Allow"
        Action   = "cloudfront:CreateInvalidation"
        Resource = [aws_cloudfront_distribution.cdn.arn]
      },
    ]
  })
}
