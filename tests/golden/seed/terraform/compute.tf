data "aws_ssm_parameter" "al2023" {
  name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
}

resource "aws_ecs_cluster" "cluster" {
  name = "cluster"

  setting {
    name  = "containerInsights"
    value = "enabled"
  }

  tags = {
    Name = "myapp-cluster"
  }
}

resource "aws_instance" "bastion" {
  # checkov:skip=CKV_AWS_88:A bastion host is reached over SSH from the operators' addresses and needs a public IP
  # checkov:skip=CKV2_AWS_41:The bastion host needs no AWS API access, so it has no instance role
  ami                         = data.aws_ssm_parameter.al2023.value
  instance_type               = "t3.micro"
  subnet_id                   = aws_subnet.subnet_public_a.id
  vpc_security_group_ids      = [aws_security_group.sg_bastion.id]
  associate_public_ip_address = true
  key_name                    = var.bastion_key_name
  monitoring                  = true
  ebs_optimized               = true

  metadata_options {
    http_tokens   = "required"
    http_endpoint = "enabled"
  }

  root_block_device {
    encrypted   = true
    volume_type = "gp3"
  }

  tags = {
    Name = "login-server"
  }
}

resource "aws_lb" "alb" {
  # checkov:skip=CKV_AWS_91:Access logs need a log bucket the diagram does not have
  # checkov:skip=CKV_AWS_150:Deletion protection is left to the operator so the stack can be torn down
  # checkov:skip=CKV2_AWS_28:A web application firewall is a separate purchase the diagram does not include
  internal                   = false
  load_balancer_type         = "application"
  subnets                    = [aws_subnet.subnet_public_a.id, aws_subnet.subnet_public_c.id]
  security_groups            = [aws_security_group.sg_alb.id]
  drop_invalid_header_fields = true
  tags = {
    Name = "myapp-alb"
  }
}

resource "aws_lb_target_group" "alb_1" {
  port        = 80
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = aws_vpc.vpc_main.id

  health_check {
    path     = "/health"
    matcher  = "200"
    interval = 30
    port     = "traffic-port"
  }
}

resource "aws_lb_listener" "alb_80" {
  load_balancer_arn = aws_lb.alb.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

resource "aws_lb_listener" "alb_443" {
  load_balancer_arn = aws_lb.alb.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate_validation.cert_api.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.alb_1.arn
  }
}

resource "aws_cloudwatch_log_group" "service" {
  # checkov:skip=CKV_AWS_158:CloudWatch Logs encrypts at rest by default; a customer managed key is the user's choice
  name              = "/ecs/service"
  retention_in_days = 365
}

resource "aws_iam_role" "service_execution" {
  name_prefix = "service-exec-"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Principal = {
          Service = "ecs-tasks.amazonaws.com"
        }
        Action = "sts:AssumeRole"
      },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "service_execution" {
  role       = aws_iam_role.service_execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_iam_role_policy" "service_execution_secrets" {
  name = "read-secrets"
  role = aws_iam_role.service_execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "secretsmanager:GetSecretValue"
        Resource = [aws_rds_cluster.db.master_user_secret[0].secret_arn]
      },
    ]
  })
}

resource "aws_ecs_task_definition" "service" {
  # checkov:skip=CKV_AWS_336:The diagram's containers may write to their root filesystem (nginx writes its cache there)
  family                   = "service"
  cpu                      = "512"
  memory                   = "1024"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  execution_role_arn       = aws_iam_role.service_execution.arn
  container_definitions = jsonencode([
    {
      name      = "nginx"
      image     = "${aws_ecr_repository.ecr_nginx.repository_url}:${var.image_tag}"
      essential = true
      portMappings = [
        {
          containerPort = 80
          protocol      = "tcp"
        },
      ]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.service.name
          awslogs-region        = var.region
          awslogs-stream-prefix = "nginx"
        }
      }
    },
    {
      name      = "flask"
      image     = "${aws_ecr_repository.ecr_api.repository_url}:${var.image_tag}"
      essential = true
      portMappings = [
        {
          containerPort = 5000
          protocol      = "tcp"
        },
      ]
      environment = [
        {
          name  = "DB_NAME"
          value = "app"
        },
        {
          name  = "DB_USER"
          value = "admin"
        },
        {
          name  = "HOST"
          value = aws_rds_cluster.db.endpoint
        },
      ]
      secrets = [
        {
          name      = "PASSWORD"
          valueFrom = "${aws_rds_cluster.db.master_user_secret[0].secret_arn}:password::"
        },
      ]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.service.name
          awslogs-region        = var.region
          awslogs-stream-prefix = "flask"
        }
      }
    },
  ])
}

resource "aws_ecs_service" "service" {
  name                               = "service"
  cluster                            = aws_ecs_cluster.cluster.id
  task_definition                    = aws_ecs_task_definition.service.arn
  desired_count                      = 0
  launch_type                        = "FARGATE"
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200

  network_configuration {
    subnets          = [aws_subnet.subnet_private_a.id, aws_subnet.subnet_private_c.id]
    security_groups  = [aws_security_group.sg_service.id]
    assign_public_ip = false
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.alb_1.arn
    container_name   = "nginx"
    container_port   = 80
  }

  tags = {
    Name = "myapp-service"
  }
  depends_on = [aws_lb_listener.alb_80, aws_lb_listener.alb_443]

  lifecycle {
    ignore_changes = [task_definition, desired_count]
  }
}
