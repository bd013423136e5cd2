//! The site's own infrastructure (deploy/) sends the same security headers
//! as the local server that the browser tests run against.

use serde_json::Value;
use std::path::Path;

fn read(relative: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)).unwrap()
}

fn headers() -> Value {
    serde_json::from_str(&read("deploy/security-headers.json")).unwrap()
}

#[test]
fn the_content_security_policy_is_the_same_everywhere() {
    let csp = headers()["Content-Security-Policy"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'") && !csp.contains("unsafe-inline"));
    let cloudformation = read("deploy/cloudformation.yaml");
    assert!(
        cloudformation.contains(&format!("ContentSecurityPolicy: \"{csp}\"")),
        "deploy/cloudformation.yaml must carry the policy of deploy/security-headers.json"
    );
    let terraform = read("deploy/terraform/main.tf");
    assert!(
        terraform.contains(&format!("content_security_policy = \"{csp}\"")),
        "deploy/terraform/main.tf must carry the policy of deploy/security-headers.json"
    );
    // One policy each, so no second, stale copy hides behind the first.
    assert_eq!(
        cloudformation.matches("ContentSecurityPolicy: \"").count(),
        1
    );
    assert_eq!(terraform.matches("content_security_policy = \"").count(), 1);
}

#[test]
fn the_other_security_headers_match_too() {
    let headers = headers();
    let cloudformation = read("deploy/cloudformation.yaml");
    let terraform = read("deploy/terraform/main.tf");
    assert_eq!(
        headers["Strict-Transport-Security"],
        "max-age=63072000; includeSubDomains; preload"
    );
    for text in [&cloudformation, &terraform] {
        assert!(text.contains("63072000"));
        assert!(text.contains("strict-origin-when-cross-origin"));
        assert!(text.contains("DENY"));
    }
    assert_eq!(
        headers["Referrer-Policy"],
        "strict-origin-when-cross-origin"
    );
    assert_eq!(headers["X-Frame-Options"], "DENY");
    assert_eq!(headers["X-Content-Type-Options"], "nosniff");
}

#[test]
fn publishing_uploads_with_types_and_cache_headers_then_cleans_up_and_invalidates() {
    let work = std::env::temp_dir().join(format!("stackdraw-publish-{}", std::process::id()));
    let dist = work.join("dist");
    let bin = work.join("bin");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::create_dir_all(&bin).unwrap();
    for file in [
        "index.html",
        "stackdraw-0123456789abcdef_bg.wasm",
        "style-0123456789abcdef.css",
        "robots.txt",
    ] {
        std::fs::write(dist.join(file), "x").unwrap();
    }
    // A stand-in for the AWS CLI that records each call and lists one stale key.
    let log = work.join("aws.log");
    let stub = format!(
        "#!/bin/sh\necho \"$*\" >> '{}'\nif [ \"$1\" = s3api ]; then printf 'index.html\\tstale-fedcba9876543210.js\\tstyle-0123456789abcdef.css\\n'; fi\n",
        log.display()
    );
    std::fs::write(bin.join("aws"), stub).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(bin.join("aws"), std::fs::Permissions::from_mode(0o755)).unwrap();

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/publish-site.sh");
    let output = std::process::Command::new("bash")
        .arg(&script)
        .arg(&dist)
        .env(
            "PATH",
            format!(
                "{}:{}",
                bin.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .env("SITE_BUCKET", "site-bucket")
        .env("SITE_DISTRIBUTION_ID", "E123")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let calls: Vec<String> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    std::fs::remove_dir_all(&work).ok();

    let call = |needle: &str| {
        calls
            .iter()
            .position(|c| c.contains(needle))
            .unwrap_or_else(|| panic!("no call with {needle}: {calls:#?}"))
    };
    let wasm = &calls[call("_bg.wasm")];
    assert!(
        wasm.contains("--content-type application/wasm")
            && wasm.contains("max-age=31536000, immutable"),
        "{wasm}"
    );
    assert!(calls[call("robots.txt")].contains("--cache-control no-cache"));
    let index = call("s3://site-bucket/index.html");
    assert!(calls[index].contains("text/html") && calls[index].contains("no-cache"));
    assert!(
        index > call("_bg.wasm") && index > call("style-"),
        "index.html is uploaded last"
    );
    let removed = call("s3 rm s3://site-bucket/stale-fedcba9876543210.js");
    assert!(
        removed > index,
        "stale files go only after the new build is live"
    );
    assert!(
        !calls
            .iter()
            .any(|c| c.starts_with("s3 rm") && c.contains("style-")),
        "files still in the build stay"
    );
    let invalidation = call("create-invalidation");
    assert!(invalidation > removed && calls[invalidation].contains("/index.html"));
}

/// S3 server access logs reach the log bucket only when its policy admits
/// the logging service for the site bucket of this account; without it the
/// logging configuration is accepted and no log ever arrives.
#[test]
fn the_log_bucket_admits_s3_server_access_logs_from_the_site_bucket() {
    let cloudformation = read("deploy/cloudformation.yaml");
    let template: Value = serde_saphyr::from_str(
        &cloudformation
            .lines()
            .map(|line| {
                line.replace("!Ref ", "")
                    .replace("!Sub ", "")
                    .replace("!GetAtt ", "")
            })
            .collect::<Vec<_>>()
            .join("\n"),
    )
    .expect("deploy/cloudformation.yaml reads as YAML once its tags are dropped");
    let resources = &template["Resources"];
    assert_eq!(
        resources["SiteBucket"]["Properties"]["LoggingConfiguration"]["DestinationBucketName"],
        "LogBucket"
    );
    let prefix = resources["SiteBucket"]["Properties"]["LoggingConfiguration"]["LogFilePrefix"]
        .as_str()
        .unwrap();
    let policy = resources
        .as_object()
        .unwrap()
        .values()
        .find(|resource| {
            resource["Type"] == "AWS::S3::BucketPolicy"
                && resource["Properties"]["Bucket"] == "LogBucket"
        })
        .expect("a policy on the log bucket");
    let statements = policy["Properties"]["PolicyDocument"]["Statement"]
        .as_array()
        .unwrap();
    let grant = statements
        .iter()
        .find(|statement| statement["Principal"]["Service"] == "logging.s3.amazonaws.com")
        .expect("a statement for the S3 logging service");
    assert_eq!(grant["Effect"], "Allow");
    assert_eq!(grant["Action"], "s3:PutObject");
    assert_eq!(grant["Resource"], format!("${{LogBucket.Arn}}/{prefix}*"));
    assert_eq!(
        grant["Condition"]["ArnLike"]["aws:SourceArn"],
        "SiteBucket.Arn"
    );
    assert_eq!(
        grant["Condition"]["StringEquals"]["aws:SourceAccount"],
        "AWS::AccountId"
    );

    let terraform = read("deploy/terraform/main.tf");
    let body: hcl::Body = hcl::parse(&terraform).unwrap();
    let blocks: Vec<&hcl::Block> = body.blocks().collect();
    let logging = blocks
        .iter()
        .find(|b| {
            b.identifier() == "resource"
                && b.labels().first().map(|l| l.as_str()) == Some("aws_s3_bucket_logging")
        })
        .expect("the site bucket logs to the log bucket in Terraform too");
    let text = hcl::to_string(*logging).unwrap();
    assert!(
        text.contains("aws_s3_bucket.site.id") && text.contains("aws_s3_bucket.logs.id"),
        "{text}"
    );
    assert!(text.contains(&format!("\"{prefix}\"")), "{text}");
    let policy = blocks
        .iter()
        .find(|b| {
            b.identifier() == "resource"
                && b.labels().iter().map(|l| l.as_str()).collect::<Vec<_>>()
                    == ["aws_s3_bucket_policy", "logs"]
        })
        .expect("a policy on the log bucket in Terraform");
    let text = hcl::to_string(*policy).unwrap();
    for needle in [
        "logging.s3.amazonaws.com",
        "s3:PutObject",
        "aws:SourceArn",
        "aws_s3_bucket.site.arn",
        "aws:SourceAccount",
        &format!("${{aws_s3_bucket.logs.arn}}/{prefix}*"),
    ] {
        assert!(text.contains(needle), "{needle} missing from\n{text}");
    }
}
