output "cdn_domain_name" {
  description = "CloudFront domain name"
  value       = aws_cloudfront_distribution.cdn.domain_name
}

output "cdn_distribution_id" {
  description = "CloudFront distribution id (the pipeline invalidates its cache)"
  value       = aws_cloudfront_distribution.cdn.id
}

output "ecr_api_uri" {
  description = "Repository URI"
  value       = aws_ecr_repository.ecr_api.repository_url
}

output "ecr_nginx_uri" {
  description = "Repository URI"
  value       = aws_ecr_repository.ecr_nginx.repository_url
}

output "pipeline_role_arn" {
  description = "Role the CircleCI pipeline assumes"
  value       = aws_iam_role.pipeline_deploy.arn
}

output "alb_dns_name" {
  description = "Load balancer DNS name"
  value       = aws_lb.alb.dns_name
}

output "db_endpoint" {
  description = "Database writer endpoint"
  value       = aws_rds_cluster.db.endpoint
}
