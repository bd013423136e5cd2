resource "aws_security_group" "sg_alb" {
  name        = "sg-alb"
  description = "Load balancer"
  vpc_id      = aws_vpc.vpc_main.id
  tags = {
    Name = "alb-sg"
  }
}

resource "aws_vpc_security_group_ingress_rule" "sg_alb_ingress_1" {
  security_group_id = aws_security_group.sg_alb.id
  description       = "from Internet"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_ingress_rule" "sg_alb_ingress_2" {
  # checkov:skip=CKV_AWS_260:A public web listener on port 80, as the diagram draws it
  security_group_id = aws_security_group.sg_alb.id
  description       = "from Internet"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "sg_alb_egress_1" {
  # checkov:skip=CKV_AWS_382:Outbound to anywhere is the diagram's rule: tasks reach ECR, S3 and CloudWatch Logs through the NAT gateway
  security_group_id = aws_security_group.sg_alb.id
  description       = "egress rule 1"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_security_group" "sg_service" {
  name        = "sg-service"
  description = "API tasks"
  vpc_id      = aws_vpc.vpc_main.id
  tags = {
    Name = "service-sg"
  }
}

resource "aws_vpc_security_group_ingress_rule" "sg_service_ingress_1" {
  # checkov:skip=CKV_AWS_260:The rule admits only the referenced security group, not 0.0.0.0/0
  security_group_id            = aws_security_group.sg_service.id
  description                  = "from myapp-alb"
  ip_protocol                  = "tcp"
  from_port                    = 80
  to_port                      = 80
  referenced_security_group_id = aws_security_group.sg_alb.id
}

resource "aws_vpc_security_group_egress_rule" "sg_service_egress_1" {
  # checkov:skip=CKV_AWS_382:Outbound to anywhere is the diagram's rule: tasks reach ECR, S3 and CloudWatch Logs through the NAT gateway
  security_group_id = aws_security_group.sg_service.id
  description       = "egress rule 1"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_security_group" "sg_db" {
  name        = "sg-db"
  description = "Aurora"
  vpc_id      = aws_vpc.vpc_main.id
  tags = {
    Name = "db-sg"
  }
}

resource "aws_vpc_security_group_ingress_rule" "sg_db_ingress_1" {
  security_group_id            = aws_security_group.sg_db.id
  description                  = "from myapp-service"
  ip_protocol                  = "tcp"
  from_port                    = 3306
  to_port                      = 3306
  referenced_security_group_id = aws_security_group.sg_service.id
}

resource "aws_vpc_security_group_ingress_rule" "sg_db_ingress_2" {
  security_group_id            = aws_security_group.sg_db.id
  description                  = "from login-server"
  ip_protocol                  = "tcp"
  from_port                    = 3306
  to_port                      = 3306
  referenced_security_group_id = aws_security_group.sg_bastion.id
}

resource "aws_vpc_security_group_egress_rule" "sg_db_egress_1" {
  # checkov:skip=CKV_AWS_382:Outbound to anywhere is the diagram's rule: tasks reach ECR, S3 and CloudWatch Logs through the NAT gateway
  security_group_id = aws_security_group.sg_db.id
  description       = "egress rule 1"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_security_group" "sg_bastion" {
  name        = "sg-bastion"
  description = "Bastion host"
  vpc_id      = aws_vpc.vpc_main.id
  tags = {
    Name = "bastion-sg"
  }
}

resource "aws_vpc_security_group_ingress_rule" "sg_bastion_ingress_1" {
  security_group_id = aws_security_group.sg_bastion.id
  description       = "from Operator"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = var.operator_cidr
}

resource "aws_vpc_security_group_egress_rule" "sg_bastion_egress_1" {
  # checkov:skip=CKV_AWS_382:Outbound to anywhere is the diagram's rule: tasks reach ECR, S3 and CloudWatch Logs through the NAT gateway
  security_group_id = aws_security_group.sg_bastion.id
  description       = "egress rule 1"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}
