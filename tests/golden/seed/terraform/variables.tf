variable "region" {
  type        = string
  description = "AWS region to deploy to"
  default     = "ap-northeast-1"
}

variable "image_tag" {
  type        = string
  description = "Tag in the first task definition of services that run the module's ECR images. They start at zero tasks; the pipeline then owns their task definition and count"
  default     = "bootstrap"
}

variable "database_deletion_protection" {
  type        = bool
  description = "Deletion protection of the databases: off for the first apply, so a failed one can be destroyed cleanly (a final snapshot is kept either way); set it to true once they exist"
  default     = false
}

variable "circleci_organization_id" {
  type        = string
  description = "CircleCI organization id (Organization Settings > Overview): the OIDC audience"
}

variable "operator_cidr" {
  type        = string
  description = "Address block of Operator"
  default     = "203.0.113.10/32"
}

variable "dns_domain_name" {
  type        = string
  description = "Domain of the hosted zone"
  default     = "example.com"
}

variable "dns_zone_id" {
  type        = string
  description = "Id of the existing Route 53 hosted zone for example.com"
}

variable "bastion_key_name" {
  type        = string
  description = "EC2 key pair for SSH to login-server"
  default     = "bastion-key"
}
