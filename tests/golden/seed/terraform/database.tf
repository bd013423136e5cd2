resource "aws_db_subnet_group" "db" {
  name       = "db-subnets"
  subnet_ids = [aws_subnet.subnet_private_a.id, aws_subnet.subnet_private_c.id]
  tags = {
    Name = "myapp-aurora"
  }
}

resource "aws_rds_cluster" "db" {
  # checkov:skip=CKV2_AWS_8:Backups are the cluster's own (7 days); AWS Backup plans are outside the diagram
  # checkov:skip=CKV_AWS_326:Backtracking is off; restores come from snapshots and backups
  # checkov:skip=CKV_AWS_327:Storage is encrypted with the AWS managed key; a customer managed key is the user's choice
  # checkov:skip=CKV_AWS_139:Deletion protection is var.database_deletion_protection: off for the first apply so a failed one can be destroyed, then on (README.md); a final snapshot is kept either way
  cluster_identifier                  = "db"
  engine                              = "aurora-mysql"
  engine_version                      = "8.0.mysql_aurora.3.10.3"
  port                                = 3306
  database_name                       = "app"
  master_username                     = "admin"
  manage_master_user_password         = true
  storage_encrypted                   = true
  db_subnet_group_name                = aws_db_subnet_group.db.name
  vpc_security_group_ids              = [aws_security_group.sg_db.id]
  backup_retention_period             = 7
  copy_tags_to_snapshot               = true
  deletion_protection                 = var.database_deletion_protection
  iam_database_authentication_enabled = true
  enabled_cloudwatch_logs_exports     = ["audit", "error", "general", "slowquery"]
  skip_final_snapshot                 = false
  final_snapshot_identifier           = "db-final"
  tags = {
    Name = "myapp-aurora"
  }
}

resource "aws_rds_cluster_instance" "db" {
  # checkov:skip=CKV_AWS_118:Enhanced monitoring needs a monitoring role the diagram does not have
  # checkov:skip=CKV_AWS_353:Performance Insights is left to the operator
  count                      = 2
  identifier                 = "db-${count.index + 1}"
  cluster_identifier         = aws_rds_cluster.db.id
  instance_class             = "db.t4g.medium"
  engine                     = aws_rds_cluster.db.engine
  publicly_accessible        = false
  auto_minor_version_upgrade = true
}
