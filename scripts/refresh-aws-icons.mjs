#!/usr/bin/env node
// Copies the AWS Architecture Icons that stackdraw's kinds need into
// assets/aws-icons/, byte for byte, and writes their checksums.
//
// Source: the npm package aws-icons, pinned below with its registry
// integrity, which repackages AWS Architecture Icons (release 01/30/2026)
// as SVG. Only the icon files are taken; each is written unchanged under
// the name of the kind it stands for. AWS's terms, not the package's, apply
// to the artwork: see assets/aws-icons/NOTICE.md.
//
// Run: node scripts/refresh-aws-icons.mjs   (needs the npm registry)
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = 'aws-icons@3.3.0';
const INTEGRITY = 'sha512-/ukOBw3a0n5cWRLJA75mC2WH/SttpLDfOCe1rgzfTfKaB13PTZp525sp7QDXW2tSH4AIggHzNdk8M8X+YfGKNQ==';

// Kind (as the file format names it) -> icon in the package.
export const ICONS = {
  vpc: 'architecture-group/VirtualprivatecloudVPC.svg',
  subnet: 'architecture-group/Privatesubnet.svg',
  internet_gateway: 'resource/AmazonVPCInternetGateway.svg',
  nat_gateway: 'resource/AmazonVPCNATGateway.svg',
  route_table: 'resource/AmazonVPCRouter.svg',
  vpc_endpoint: 'resource/AmazonVPCEndpoints.svg',
  vpc_peering: 'resource/AmazonVPCPeeringConnection.svg',
  network_acl: 'resource/AmazonVPCNetworkAccessControlList.svg',
  load_balancer: 'resource/ElasticLoadBalancingApplicationLoadBalancer.svg',
  ecs_cluster: 'architecture-service/AmazonElasticContainerService.svg',
  fargate_service: 'architecture-service/AWSFargate.svg',
  aurora_cluster: 'architecture-service/AmazonAurora.svg',
  rds_instance: 'architecture-service/AmazonRDS.svg',
  dynamodb_table: 'architecture-service/AmazonDynamoDB.svg',
  elasticache_cache: 'architecture-service/AmazonElastiCache.svg',
  sqs_queue: 'architecture-service/AmazonSimpleQueueService.svg',
  sns_topic: 'architecture-service/AmazonSimpleNotificationService.svg',
  lambda_function: 'architecture-service/AWSLambda.svg',
  http_api: 'architecture-service/AmazonAPIGateway.svg',
  auto_scaling_group: 'architecture-service/AmazonEC2AutoScaling.svg',
  ec2_instance: 'resource/AmazonEC2Instance.svg',
  secret: 'architecture-service/AWSSecretsManager.svg',
  web_acl: 'architecture-service/AWSWAF.svg',
  bastion: 'architecture-service/AmazonEC2.svg',
  s3_bucket: 'architecture-service/AmazonSimpleStorageService.svg',
  cloudfront: 'architecture-service/AmazonCloudFront.svg',
  route53_zone: 'architecture-service/AmazonRoute53.svg',
  acm_certificate: 'architecture-service/AWSCertificateManager.svg',
  ecr_repository: 'architecture-service/AmazonElasticContainerRegistry.svg',
  internet: 'resource/Internet.svg',
  external_client: 'resource/Client.svg',
};

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'assets', 'aws-icons');
const work = mkdtempSync(join(tmpdir(), 'aws-icons-'));
try {
  execFileSync('npm', ['pack', PACKAGE, '--silent'], { cwd: work, stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
  const digest = `sha512-${createHash('sha512').update(readFileSync(join(work, tarball))).digest('base64')}`;
  if (digest !== INTEGRITY) throw new Error(`${PACKAGE}: integrity ${digest}, expected ${INTEGRITY}`);
  execFileSync('tar', ['xzf', tarball], { cwd: work });
  const lines = [];
  for (const [kind, path] of Object.entries(ICONS)) {
    const bytes = readFileSync(join(work, 'package', 'icons', path));
    writeFileSync(join(out, `${kind}.svg`), bytes);
    lines.push(`${createHash('sha256').update(bytes).digest('hex')}  ${kind}.svg  ${path}`);
  }
  writeFileSync(join(out, 'SHA256SUMS'), `${lines.join('\n')}\n`);
  console.log(`${Object.keys(ICONS).length} icons from ${PACKAGE} in assets/aws-icons/`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
