resource "aws_vpc" "vpc_main" {
  # checkov:skip=CKV2_AWS_11:Flow logs need a log destination the diagram does not have
  # checkov:skip=CKV2_AWS_12:No resource in the diagram uses the VPC's default security group
  cidr_block           = "10.2.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags = {
    Name = "myapp-vpc"
  }
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.vpc_main.id
  tags = {
    Name = "myapp-igw"
  }
}

resource "aws_route_table" "rt_public" {
  vpc_id = aws_vpc.vpc_main.id
  tags = {
    Name = "public-route-table"
  }
}

resource "aws_route" "rt_public_1" {
  route_table_id         = aws_route_table.rt_public.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.igw.id
}

resource "aws_route_table" "rt_private" {
  vpc_id = aws_vpc.vpc_main.id
  tags = {
    Name = "private-route-table"
  }
}

resource "aws_route" "rt_private_1" {
  route_table_id         = aws_route_table.rt_private.id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.nat_a.id
}

resource "aws_subnet" "subnet_public_a" {
  vpc_id                  = aws_vpc.vpc_main.id
  cidr_block              = "10.2.0.0/20"
  availability_zone       = "${var.region}a"
  map_public_ip_on_launch = false
  tags = {
    Name = "public-subnet-a"
  }
}

resource "aws_route_table_association" "subnet_public_a" {
  subnet_id      = aws_subnet.subnet_public_a.id
  route_table_id = aws_route_table.rt_public.id
}

resource "aws_subnet" "subnet_public_c" {
  vpc_id                  = aws_vpc.vpc_main.id
  cidr_block              = "10.2.16.0/20"
  availability_zone       = "${var.region}c"
  map_public_ip_on_launch = false
  tags = {
    Name = "public-subnet-c"
  }
}

resource "aws_route_table_association" "subnet_public_c" {
  subnet_id      = aws_subnet.subnet_public_c.id
  route_table_id = aws_route_table.rt_public.id
}

resource "aws_subnet" "subnet_private_a" {
  vpc_id                  = aws_vpc.vpc_main.id
  cidr_block              = "10.2.32.0/20"
  availability_zone       = "${var.region}a"
  map_public_ip_on_launch = false
  tags = {
    Name = "private-subnet-a"
  }
}

resource "aws_route_table_association" "subnet_private_a" {
  subnet_id      = aws_subnet.subnet_private_a.id
  route_table_id = aws_route_table.rt_private.id
}

resource "aws_subnet" "subnet_private_c" {
  vpc_id                  = aws_vpc.vpc_main.id
  cidr_block              = "10.2.48.0/20"
  availability_zone       = "${var.region}c"
  map_public_ip_on_launch = false
  tags = {
    Name = "private-subnet-c"
  }
}

resource "aws_route_table_association" "subnet_private_c" {
  subnet_id      = aws_subnet.subnet_private_c.id
  route_table_id = aws_route_table.rt_private.id
}

resource "aws_eip" "nat_a" {
  domain = "vpc"
  tags = {
    Name = "nat-gateway-a"
  }
}

resource "aws_nat_gateway" "nat_a" {
  subnet_id         = aws_subnet.subnet_public_a.id
  connectivity_type = "public"
  allocation_id     = aws_eip.nat_a.id
  tags = {
    Name = "nat-gateway-a"
  }
  depends_on = [aws_internet_gateway.igw]
}
