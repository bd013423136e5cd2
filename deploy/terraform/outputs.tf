output "bucket_name" {
  description = "The bucket the pipeline uploads dist/ to (SITE_BUCKET in the CircleCI context)"
  value       = aws_s3_bucket.site.id
}

output "distribution_id" {
  description = "The distribution to invalidate (SITE_DISTRIBUTION_ID in the CircleCI context)"
  value       = aws_cloudfront_distribution.site.id
}

output "site_url" {
  description = "Where the site is served"
  value       = local.custom_domain ? "https://${var.domain_name}" : "https://${aws_cloudfront_distribution.site.domain_name}"
}

output "deploy_role_arn" {
  description = "The role the pipeline assumes (SITE_DEPLOY_ROLE_ARN in the CircleCI context)"
  value       = aws_iam_role.deploy.arn
}
