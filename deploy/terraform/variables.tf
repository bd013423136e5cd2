variable "domain_name" {
  type        = string
  description = "Optional custom domain for the site, e.g. stackdraw.example.com (empty: the CloudFront domain)"
  default     = ""
}

variable "hosted_zone_id" {
  type        = string
  description = "The Route 53 hosted zone of domain_name (needed with domain_name)"
  default     = ""
}

variable "circleci_organization_id" {
  type        = string
  description = "CircleCI organization id (Organization Settings > Overview): the OIDC audience"
}

variable "circleci_project_id" {
  type        = string
  description = "CircleCI project id (Project Settings > Overview): only this project may deploy"
}

variable "name_prefix" {
  type        = string
  description = "Prefix of the names of the CloudFront policies, function and access control"
  default     = "stackdraw"
}
