resource "aws_route53_record" "dns_1" {
  zone_id = var.dns_zone_id
  name    = "www.${var.dns_domain_name}"
  type    = "A"

  alias {
    name                   = aws_cloudfront_distribution.cdn.domain_name
    zone_id                = "Z2FDTNDATAQYW2"
    evaluate_target_health = false
  }
}

resource "aws_route53_record" "dns_2" {
  zone_id = var.dns_zone_id
  name    = "api.${var.dns_domain_name}"
  type    = "A"

  alias {
    name                   = aws_lb.alb.dns_name
    zone_id                = aws_lb.alb.zone_id
    evaluate_target_health = true
  }
}

resource "aws_acm_certificate" "cert_cdn" {
  region            = "us-east-1"
  domain_name       = "www.${var.dns_domain_name}"
  validation_method = "DNS"
  tags = {
    Name = "www certificate"
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "cert_cdn_validation" {
  for_each = {
    for option in aws_acm_certificate.cert_cdn.domain_validation_options : option.domain_name => option
  }
  zone_id         = var.dns_zone_id
  name            = each.value.resource_record_name
  type            = each.value.resource_record_type
  ttl             = 60
  records         = [each.value.resource_record_value]
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "cert_cdn" {
  region                  = "us-east-1"
  certificate_arn         = aws_acm_certificate.cert_cdn.arn
  validation_record_fqdns = [for record in aws_route53_record.cert_cdn_validation : record.fqdn]
}

resource "aws_cloudfront_origin_access_control" "cdn_1" {
  name                              = "cdn-1"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

resource "aws_cloudfront_distribution" "cdn" {
  # checkov:skip=CKV_AWS_68:A web application firewall is a separate purchase the diagram does not include
  # checkov:skip=CKV_AWS_86:Access logs need a log bucket the diagram does not have
  # checkov:skip=CKV_AWS_310:Origin failover needs a second origin the diagram does not have
  # checkov:skip=CKV_AWS_374:The site is served worldwide
  # checkov:skip=CKV2_AWS_32:Security headers are a response headers policy the diagram does not include
  # checkov:skip=CKV2_AWS_47:A web application firewall is a separate purchase the diagram does not include
  enabled             = true
  comment             = "Front end CDN"
  http_version        = "http2and3"
  is_ipv6_enabled     = true
  price_class         = "PriceClass_200"
  default_root_object = "index.html"
  aliases             = ["www.${var.dns_domain_name}"]

  origin {
    origin_id                = "origin1"
    domain_name              = aws_s3_bucket.frontend.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.cdn_1.id
  }

  default_cache_behavior {
    target_origin_id       = "origin1"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    compress               = true
    cache_policy_id        = "658327ea-f89d-4fab-a63d-7e88639e58f6"
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    acm_certificate_arn      = aws_acm_certificate_validation.cert_cdn.certificate_arn
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }

  tags = {
    Name = "Front end CDN"
  }
}

resource "aws_s3_bucket" "frontend" {
  # checkov:skip=CKV_AWS_18:Access logs need a log bucket the diagram does not have
  # checkov:skip=CKV_AWS_144:Cross-region replication needs a second bucket the diagram does not have
  # checkov:skip=CKV2_AWS_62:Event notifications are outside the diagram
  # checkov:skip=CKV2_AWS_61:Lifecycle rules are outside the diagram
  # checkov:skip=CKV_AWS_145:AES256 encryption at rest; a customer managed key is the user's choice
  bucket = "myapp-frontend-example-com"
  tags = {
    Name = "Front end bucket"
  }
}

resource "aws_s3_bucket_ownership_controls" "frontend" {
  bucket = aws_s3_bucket.frontend.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "frontend" {
  bucket                  = aws_s3_bucket.frontend.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "frontend" {
  bucket = aws_s3_bucket.frontend.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "frontend" {
  bucket = aws_s3_bucket.frontend.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_policy" "frontend" {
  bucket = aws_s3_bucket.frontend.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.frontend.arn, "${aws_s3_bucket.frontend.arn}/*"]
        Condition = {
          Bool = {
            "aws:SecureTransport" = "false"
          }
        }
      },
      {
        Sid    = "AllowCloudFrontOriginAccessControl"
        Effect = "Allow"
        Principal = {
          Service = "cloudfront.amazonaws.com"
        }
        Action   = "s3:GetObject"
        Resource = "${aws_s3_bucket.frontend.arn}/*"
        Condition = {
          StringEquals = {
            "AWS:SourceArn" = [aws_cloudfront_distribution.cdn.arn]
          }
        }
      },
    ]
  })
  depends_on = [aws_s3_bucket_public_access_block.frontend]
}

resource "aws_acm_certificate" "cert_api" {
  domain_name       = "api.${var.dns_domain_name}"
  validation_method = "DNS"
  tags = {
    Name = "api certificate"
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "cert_api_validation" {
  for_each = {
    for option in aws_acm_certificate.cert_api.domain_validation_options : option.domain_name => option
  }
  zone_id         = var.dns_zone_id
  name            = each.value.resource_record_name
  type            = each.value.resource_record_type
  ttl             = 60
  records         = [each.value.resource_record_value]
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "cert_api" {
  certificate_arn         = aws_acm_certificate.cert_api.arn
  validation_record_fqdns = [for record in aws_route53_record.cert_api_validation : record.fqdn]
}
