#!/usr/bin/env python3
"""The emulator stage: every CloudFormation export that should deploy is
created as a stack in moto (an AWS emulator, run on 127.0.0.1 for the length
of the stage), and what exists afterwards is compared with the diagram.

moto's CloudFormation refuses some resource types the exporters write; those
are created through their service APIs with the template's properties (the
"stand-ins"), between two stack operations: first every resource that does
not depend on a stand-in, then the stand-ins, then the rest with the
stand-ins' ids written in. Properties moto accepts but ignores are checked
from the template instead, and everything else it cannot show is printed as
unchecked. docs/emulator.md lists every gap.

Usage: deploy_stage.py STACKDRAW_BINARY
Prints one line per check and ends with "emulator: N passed, M failed".
"""

import ast
import base64
import copy
import hashlib
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request
import zipfile
from pathlib import Path

import boto3
import botocore.config
import yaml

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = "123456789012"
PIPELINE_COMMIT = "0123456789abcdef0123456789abcdef01234567"

# Resource types moto 5.2.5's CloudFormation refuses, among those the
# exporters and deploy/ write. Each is created through its service API.
STAND_IN_TYPES = [
    "AWS::EC2::VPCCidrBlock",
    "AWS::EC2::SecurityGroupEgress",
    "AWS::RDS::DBCluster",
    "AWS::SecretsManager::Secret",
    "AWS::IAM::OIDCProvider",
    "AWS::CertificateManager::Certificate",
    "AWS::CloudFront::OriginAccessControl",
    "AWS::CloudFront::Function",
    "AWS::CloudFront::CachePolicy",
    "AWS::CloudFront::ResponseHeadersPolicy",
    "AWS::CloudFront::Distribution",
    "AWS::S3::BucketPolicy",
    "AWS::EC2::NetworkAcl",
    "AWS::EC2::NetworkAclEntry",
    "AWS::EC2::SubnetNetworkAclAssociation",
    # Accepted by moto's CloudFormation but not acted on: no subscription is
    # made, no policy set.
    "AWS::SNS::Subscription",
    "AWS::SQS::QueuePolicy",
    # Refused by moto's CloudFormation.
    "AWS::ElastiCache::SubnetGroup",
    "AWS::ElastiCache::ReplicationGroup",
    "AWS::ApiGatewayV2::Api",
    "AWS::ApiGatewayV2::Stage",
    "AWS::ApiGatewayV2::VpcLink",
    "AWS::ApiGatewayV2::Integration",
    "AWS::ApiGatewayV2::Route",
    "AWS::SecretsManager::SecretTargetAttachment",
    "AWS::WAFv2::WebACL",
    "AWS::WAFv2::WebACLAssociation",
    "AWS::WAFv2::LoggingConfiguration",
]

def needs_stand_in(resource):
    """A refused type, or a database instance: moto's CloudFormation crashes
    on an Aurora member without an engine version (KeyError 'aurora-mysql'),
    which AWS takes from the cluster, and refuses `Fn::GetAtt` of an
    instance's `MasterUserSecret.SecretArn`, which AWS documents."""
    return resource["Type"] in STAND_IN_TYPES or resource["Type"] == "AWS::RDS::DBInstance"


# Types whose stand-in moto's service API cannot make either: reported as
# unchecked, and what refers to them gets a placeholder id.
NO_API = {
    "AWS::CloudFront::CachePolicy": "moto has no CloudFront cache policy API",
    "AWS::CloudFront::ResponseHeadersPolicy": "moto has no CloudFront response headers policy API",
}


class Report:
    def __init__(self, expecting_mismatches=False):
        self.passed = 0
        self.failed = 0
        self.unchecked = []
        # For the altered template, a mismatch is what is looked for.
        self.miss_word = "caught" if expecting_mismatches else "FAILED"

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print(f"  ok      {name}")
        else:
            self.failed += 1
            print(f"  {self.miss_word:<7} {name}: {detail}")
        return ok

    def note_unchecked(self, what):
        if what not in self.unchecked:
            self.unchecked.append(what)


# ---------------------------------------------------------------- moto


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Moto:
    """moto_server on a free loopback port, stopped when the stage ends."""

    def __enter__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        server = [sys.executable, str(Path(__file__).with_name("moto_server_fixed.py"))]
        # STACKDRAW_MOTO_LOG=path keeps moto's own log, for a failure to read.
        log_path = os.environ.get("STACKDRAW_MOTO_LOG")
        self.log = open(log_path, "wb") if log_path else tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [*server, "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/moto-api/", timeout=1)
                return self
            except Exception:
                if self.process.poll() is not None:
                    break
                time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError("moto_server did not start")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def reset(self):
        request = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST")
        urllib.request.urlopen(request, timeout=10)

    def client(self, service, region):
        return boto3.client(
            service,
            region_name=region,
            endpoint_url=self.url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=botocore.config.Config(retries={"max_attempts": 1}),
        )


# ------------------------------------------------------------ templates


def read_template(path):
    """A template as plain JSON values: YAML short tags become long forms."""

    class Loader(yaml.SafeLoader):
        pass

    def construct(tag):
        def build(loader, node):
            if isinstance(node, yaml.ScalarNode):
                value = loader.construct_scalar(node)
                if tag == "GetAtt":
                    return {"Fn::GetAtt": value.split(".", 1)}
            elif isinstance(node, yaml.SequenceNode):
                value = loader.construct_sequence(node, deep=True)
            else:
                value = loader.construct_mapping(node, deep=True)
            return {"Ref" if tag == "Ref" else f"Fn::{tag}": value}

        return build

    for tag in ["Ref", "Sub", "GetAtt", "Join", "If", "Equals", "Not", "Select", "Split", "And", "Or", "Base64", "GetAZs", "ImportValue", "FindInMap", "Cidr"]:
        Loader.add_constructor(f"!{tag}", construct(tag))
    text = Path(path).read_text()
    return yaml.load(text, Loader=Loader)


def references(value):
    """Logical ids and parameters a value refers to."""
    found = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref" and isinstance(inner, str):
                found.add(inner)
            elif key == "Fn::GetAtt":
                target = inner[0] if isinstance(inner, list) else str(inner).split(".")[0]
                found.add(target)
            elif key == "Fn::Sub":
                text = inner[0] if isinstance(inner, list) else inner
                for name in re.findall(r"\$\{([^!][^}]*)\}", text):
                    found.add(name.split(".")[0])
                if isinstance(inner, list) and len(inner) > 1:
                    found |= references(inner[1])
            else:
                found |= references(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= references(inner)
    return found


def dependencies(resource):
    deps = references(resource.get("Properties", {}))
    depends = resource.get("DependsOn", [])
    deps |= set([depends] if isinstance(depends, str) else depends)
    return deps


class Resolver:
    """Evaluates intrinsic functions against what exists so far."""

    def __init__(self, region, parameters, conditions_source):
        self.region = region
        self.values = {
            "AWS::Region": region,
            "AWS::AccountId": ACCOUNT,
            "AWS::Partition": "aws",
            "AWS::StackName": "stackdraw",
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::NoValue": None,
        }
        self.values.update(parameters)
        self.attributes = {}
        self.conditions = {}
        for name, condition in (conditions_source or {}).items():
            self.conditions[name] = bool(self.resolve(condition))

    def resolve(self, value):
        if isinstance(value, list):
            return [item for item in (self.resolve(v) for v in value) if item is not None]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            (key, inner), = value.items()
            if key == "Ref":
                if inner not in self.values:
                    raise KeyError(f"Ref {inner}")
                return self.values[inner]
            if key == "Fn::GetAtt":
                target, attribute = inner if isinstance(inner, list) else inner.split(".", 1)
                return self.attribute(target, attribute)
            if key == "Fn::Sub":
                text, extra = (inner[0], self.resolve(inner[1])) if isinstance(inner, list) else (inner, {})

                def fill(match):
                    name = match.group(1)
                    if name.startswith("!"):
                        return "${" + name[1:] + "}"
                    if name in extra:
                        return str(extra[name])
                    if "." in name:
                        target, attribute = name.split(".", 1)
                        return str(self.attribute(target, attribute))
                    return str(self.values[name])

                return re.sub(r"\$\{([^}]*)\}", fill, text)
            if key == "Fn::Join":
                return inner[0].join(str(part) for part in self.resolve(inner[1]))
            if key == "Fn::If":
                name, yes, no = inner
                return self.resolve(yes if self.conditions.get(name) else no)
            if key == "Fn::Equals":
                return self.resolve(inner[0]) == self.resolve(inner[1])
            if key == "Fn::Not":
                return not self.resolve(inner[0])
            if key == "Fn::And":
                return all(self.resolve(item) for item in inner)
            if key == "Fn::Or":
                return any(self.resolve(item) for item in inner)
            if key == "Fn::Select":
                return self.resolve(inner[1])[int(self.resolve(inner[0]))]
            if key == "Condition":
                return self.conditions.get(inner)
        return {key: self.resolve(inner) for key, inner in value.items() if self.resolve(inner) is not None}

    def attribute(self, target, attribute):
        known = self.attributes.get(target, {})
        if attribute in known:
            return known[attribute]
        raise KeyError(f"Fn::GetAtt {target}.{attribute}")


def sub_as_join(text):
    """`Fn::Sub` text as the equivalent `Fn::Join` of strings, `Ref`s and
    `Fn::GetAtt`s."""
    parts = []
    at = 0
    for match in re.finditer(r"\$\{([^}]*)\}", text):
        literal = text[at:match.start()]
        name = match.group(1)
        if name.startswith("!"):
            literal += "${" + name[1:] + "}"
            parts.append(literal)
        else:
            if literal:
                parts.append(literal)
            if "." in name and not name.startswith("AWS::"):
                parts.append({"Fn::GetAtt": name.split(".", 1)})
            else:
                parts.append({"Ref": name})
        at = match.end()
    if text[at:]:
        parts.append(text[at:])
    merged = []
    for part in parts:
        if merged and isinstance(part, str) and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    return {"Fn::Join": ["", merged]}


def prepare_for_phase(template, keep, stand_in_ids, resolver):
    """The template with only `keep` resources; references to stand-ins are
    written in as the ids and attributes they got."""
    out = copy.deepcopy(template)
    out["Resources"] = {k: v for k, v in template["Resources"].items() if k in keep}

    def rewrite(value):
        if isinstance(value, dict):
            if len(value) == 1:
                (key, inner), = value.items()
                if key == "Ref" and inner in stand_in_ids:
                    return stand_in_ids[inner]
                if key == "Fn::GetAtt":
                    target, attribute = inner if isinstance(inner, list) else inner.split(".", 1)
                    if target in stand_in_ids:
                        return resolver.attribute(target, attribute)
                if key == "Fn::Sub" and not isinstance(inner, list):
                    # moto re-creates a resource after a parameter change only
                    # when it finds the parameter in a `Ref`, never inside
                    # `Fn::Sub`: the same string as `Fn::Join` of `Ref`s,
                    # which CloudFormation evaluates alike, lets it see them.
                    return rewrite(sub_as_join(inner))
                if key == "Fn::Sub":
                    text = inner[0] if isinstance(inner, list) else inner
                    extra = inner[1] if isinstance(inner, list) else {}

                    def fill(match):
                        name = match.group(1)
                        base = name.split(".")[0]
                        if base in stand_in_ids and not name.startswith("!"):
                            if "." in name:
                                return str(resolver.attribute(base, name.split(".", 1)[1]))
                            return str(stand_in_ids[base])
                        return match.group(0)

                    text = re.sub(r"\$\{([^}]*)\}", fill, text)
                    return {"Fn::Sub": [text, rewrite(extra)] if extra else text}
            return {key: rewrite(inner) for key, inner in value.items()}
        if isinstance(value, list):
            return [rewrite(item) for item in value]
        return value

    for name, resource in out["Resources"].items():
        resource = dict(resource)
        if "Properties" in resource:
            resource["Properties"] = rewrite(resource["Properties"])
        depends = resource.get("DependsOn")
        if depends:
            depends = [depends] if isinstance(depends, str) else depends
            depends = [d for d in depends if d in keep]
            if depends:
                resource["DependsOn"] = depends
            else:
                resource.pop("DependsOn")
        resource.pop("Metadata", None)
        out["Resources"][name] = resource
    outputs = {}
    for name, output in (template.get("Outputs") or {}).items():
        if references(output.get("Value")) <= (set(keep) | set(template.get("Parameters", {})) | set(resolver.values)):
            outputs[name] = rewrite(output)
    if outputs:
        out["Outputs"] = outputs
    else:
        out.pop("Outputs", None)
    out.pop("Metadata", None)
    return out


# ------------------------------------------------------------ names


def pascal_case(text):
    """Node id -> CloudFormation logical id, as src/domain/export/names.rs."""
    out = ""
    for word in re.split(r"[^A-Za-z0-9]", text):
        if word:
            out += word[0].upper() + word[1:]
    if not out or out[0].isdigit():
        out = "N" + out
    return out


def logical_ids(diagram):
    taken, by_node = set(), {}
    for node in diagram["nodes"]:
        base = pascal_case(node["id"])
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}{n}", n + 1
        taken.add(candidate)
        by_node[node["id"]] = candidate
    return by_node


# ------------------------------------------------------------ parameters


def parameter_values(template, clients, region):
    """Defaults, and values made in the emulator for those without one."""
    values = {}
    for name, definition in (template.get("Parameters") or {}).items():
        kind = definition.get("Type", "String")
        default = definition.get("Default")
        if kind == "AWS::Route53::HostedZone::Id":
            domain = next(
                (p.get("Default") for n, p in template["Parameters"].items() if n.endswith("DomainName") and p.get("Default")),
                "example.com",
            )
            zone = clients("route53", region).create_hosted_zone(Name=domain, CallerReference=name)
            values[name] = zone["HostedZone"]["Id"].split("/")[-1]
        elif kind == "AWS::EC2::KeyPair::KeyName":
            key = default or "stackdraw"
            clients("ec2", region).create_key_pair(KeyName=key)
            values[name] = key
        elif kind.startswith("AWS::SSM::Parameter::Value"):
            # moto serves AWS's public parameters itself.
            values[name] = default
        elif default is not None:
            values[name] = str(default)
        elif "acm:" in definition.get("AllowedPattern", ""):
            certificate_region = re.search(r"acm:([a-z0-9-]+):", definition["AllowedPattern"]).group(1)
            arn = clients("acm", certificate_region).request_certificate(DomainName="www.example.com")["CertificateArn"]
            values[name] = arn
        elif "{36}" in definition.get("AllowedPattern", ""):
            values[name] = "0f0e0d0c-0b0a-4908-8706-050403020100"
        else:
            values[name] = "stackdraw"
    return values


# ------------------------------------------------------------ attributes


def attributes_of(kind, physical, clients, region):
    """What Fn::GetAtt gives for a resource the stack created."""
    if kind == "AWS::S3::Bucket":
        return {
            "Arn": f"arn:aws:s3:::{physical}",
            "DomainName": f"{physical}.s3.amazonaws.com",
            "RegionalDomainName": f"{physical}.s3.{region}.amazonaws.com",
        }
    if kind == "AWS::ElasticLoadBalancingV2::LoadBalancer":
        balancer = clients("elbv2", region).describe_load_balancers(LoadBalancerArns=[physical])["LoadBalancers"][0]
        return {"DNSName": balancer["DNSName"], "CanonicalHostedZoneID": balancer.get("CanonicalHostedZoneId", "")}
    if kind == "AWS::IAM::Role":
        return {"Arn": clients("iam", region).get_role(RoleName=physical)["Role"]["Arn"]}
    if kind == "AWS::EC2::SecurityGroup":
        return {"GroupId": physical}
    if kind == "AWS::EC2::VPC":
        return {"VpcId": physical, "CidrBlock": clients("ec2", region).describe_vpcs(VpcIds=[physical])["Vpcs"][0]["CidrBlock"]}
    if kind == "AWS::Logs::LogGroup":
        return {"Arn": f"arn:aws:logs:{region}:{ACCOUNT}:log-group:{physical}:*"}
    if kind == "AWS::SQS::Queue":
        # A queue's physical id is its URL.
        arn = clients("sqs", region).get_queue_attributes(
            QueueUrl=physical, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        return {"Arn": arn, "QueueName": arn.rsplit(":", 1)[-1], "QueueUrl": physical}
    if kind == "AWS::SNS::Topic":
        return {"TopicArn": physical, "TopicName": physical.rsplit(":", 1)[-1]}
    if kind == "AWS::Lambda::Function":
        return {"Arn": clients("lambda", region).get_function(FunctionName=physical)["Configuration"]["FunctionArn"]}
    if kind == "AWS::ECR::Repository":
        return {"Arn": f"arn:aws:ecr:{region}:{ACCOUNT}:repository/{physical}",
                "RepositoryUri": f"{ACCOUNT}.dkr.ecr.{region}.amazonaws.com/{physical}"}
    return {}


# ------------------------------------------------------------ stand-ins


def permission(rule, peer_key):
    protocol = str(rule.get("IpProtocol"))
    entry = {"IpProtocol": protocol}
    if protocol != "-1":
        entry["FromPort"] = int(rule.get("FromPort", -1))
        entry["ToPort"] = int(rule.get("ToPort", -1))
    if "CidrIp" in rule:
        entry["IpRanges"] = [{"CidrIp": rule["CidrIp"], "Description": rule.get("Description", "")}]
    else:
        entry["UserIdGroupPairs"] = [{"GroupId": rule[peer_key], "Description": rule.get("Description", "")}]
    return entry


def generated_secret(spec):
    document = json.loads(spec.get("SecretStringTemplate", "{}"))
    document[spec.get("GenerateStringKey", "password")] = "Emulated-password-0123456789abcdef"
    return json.dumps(document)


def dynamic_reference(text, clients, region):
    """Resolves `{{resolve:secretsmanager:ID:SecretString:KEY}}`, which moto
    never does itself."""
    match = re.fullmatch(r"\{\{resolve:secretsmanager:([^:]+(?::[^:]+)*?):SecretString:([^:}]+)\}\}", text)
    if not match:
        return text
    secret = clients("secretsmanager", region).get_secret_value(SecretId=match.group(1))
    return json.loads(secret["SecretString"])[match.group(2)]


def create_stand_in(logical, kind, props, clients, region, report):
    """Creates one resource through its service API; returns (Ref value,
    attributes)."""
    if kind in NO_API:
        report.note_unchecked(f"{kind} ({NO_API[kind]})")
        return f"unchecked-{logical.lower()}", {"Id": f"unchecked-{logical.lower()}"}
    ec2 = lambda: clients("ec2", region)  # noqa: E731
    if kind == "AWS::EC2::VPCCidrBlock":
        association = ec2().associate_vpc_cidr_block(VpcId=props["VpcId"], CidrBlock=props["CidrBlock"])
        return association["CidrBlockAssociation"]["AssociationId"], {}
    if kind == "AWS::EC2::NetworkAcl":
        acl = ec2().create_network_acl(VpcId=props["VpcId"])["NetworkAcl"]
        return acl["NetworkAclId"], {"Id": acl["NetworkAclId"]}
    if kind == "AWS::EC2::NetworkAclEntry":
        entry = {
            "NetworkAclId": props["NetworkAclId"],
            "RuleNumber": int(props["RuleNumber"]),
            "Protocol": str(props["Protocol"]),
            "RuleAction": props["RuleAction"],
            "Egress": str(props.get("Egress", False)).lower() == "true",
            "CidrBlock": props["CidrBlock"],
        }
        if "PortRange" in props:
            entry["PortRange"] = {"From": int(props["PortRange"]["From"]), "To": int(props["PortRange"]["To"])}
        if "Icmp" in props:
            entry["IcmpTypeCode"] = {"Code": int(props["Icmp"]["Code"]), "Type": int(props["Icmp"]["Type"])}
        ec2().create_network_acl_entry(**entry)
        return f"{props['NetworkAclId']}-{logical}", {}
    if kind == "AWS::EC2::SubnetNetworkAclAssociation":
        # A subnet is always associated with an ACL (its VPC's default one):
        # AWS replaces that association.
        current = ec2().describe_network_acls(
            Filters=[{"Name": "association.subnet-id", "Values": [props["SubnetId"]]}]
        )["NetworkAcls"]
        association = next(
            a["NetworkAclAssociationId"]
            for acl in current
            for a in acl.get("Associations", [])
            if a["SubnetId"] == props["SubnetId"]
        )
        replaced = ec2().replace_network_acl_association(AssociationId=association, NetworkAclId=props["NetworkAclId"])
        return replaced["NewAssociationId"], {"AssociationId": replaced["NewAssociationId"]}
    if kind == "AWS::EC2::SecurityGroupEgress":
        ec2().authorize_security_group_egress(
            GroupId=props["GroupId"], IpPermissions=[permission(props, "DestinationSecurityGroupId")]
        )
        return f"{props['GroupId']}-egress-{logical}", {}
    if kind == "AWS::SecretsManager::Secret":
        secret = clients("secretsmanager", region).create_secret(
            Name=props.get("Name", logical),
            Description=props.get("Description", ""),
            SecretString=generated_secret(props.get("GenerateSecretString", {})),
        )
        return secret["ARN"], {"Id": secret["ARN"]}
    if kind == "AWS::SecretsManager::SecretTargetAttachment":
        # What AWS adds to a secret attached to a database: where it is.
        secrets, rds = clients("secretsmanager", region), clients("rds", region)
        if props["TargetType"] == "AWS::RDS::DBCluster":
            target = rds.describe_db_clusters(DBClusterIdentifier=props["TargetId"])["DBClusters"][0]
            where = {"host": target["Endpoint"], "port": target["Port"], "engine": target["Engine"],
                     "dbClusterIdentifier": target["DBClusterIdentifier"]}
        else:
            target = rds.describe_db_instances(DBInstanceIdentifier=props["TargetId"])["DBInstances"][0]
            where = {"host": target["Endpoint"]["Address"], "port": target["Endpoint"]["Port"],
                     "engine": target["Engine"], "dbInstanceIdentifier": target["DBInstanceIdentifier"]}
        value = json.loads(secrets.get_secret_value(SecretId=props["SecretId"])["SecretString"])
        value.update(where)
        secrets.put_secret_value(SecretId=props["SecretId"], SecretString=json.dumps(value))
        return f"{props['SecretId']}-attachment", {}
    if kind == "AWS::WAFv2::WebACL":
        acl = clients("wafv2", region).create_web_acl(
            Name=props.get("Name", logical),
            Scope=props["Scope"],
            DefaultAction=props["DefaultAction"],
            Rules=[dict(rule, Priority=int(rule["Priority"])) for rule in props.get("Rules", [])],
            VisibilityConfig=props["VisibilityConfig"],
        )["Summary"]
        # A web ACL's Ref is name|id|scope; its Arn and Id are attributes.
        return f"{acl['Name']}|{acl['Id']}|{props['Scope']}", {"Arn": acl["ARN"], "Id": acl["Id"]}
    if kind == "AWS::WAFv2::WebACLAssociation":
        clients("wafv2", region).associate_web_acl(WebACLArn=props["WebACLArn"], ResourceArn=props["ResourceArn"])
        return f"{props['WebACLArn']}|{props['ResourceArn']}", {}
    if kind == "AWS::WAFv2::LoggingConfiguration":
        clients("wafv2", region).put_logging_configuration(LoggingConfiguration={
            "ResourceArn": props["ResourceArn"],
            "LogDestinationConfigs": props["LogDestinationConfigs"],
        })
        return props["ResourceArn"], {}
    if kind == "AWS::RDS::DBCluster":
        arguments = {
            "DBClusterIdentifier": props.get("DBClusterIdentifier", logical.lower()),
            "Engine": props["Engine"],
            "EngineVersion": props.get("EngineVersion"),
            "Port": int(props["Port"]),
            "MasterUsername": props["MasterUsername"],
            "StorageEncrypted": bool(props.get("StorageEncrypted", False)),
            "DBSubnetGroupName": props["DBSubnetGroupName"],
            "VpcSecurityGroupIds": props.get("VpcSecurityGroupIds", []),
            "BackupRetentionPeriod": int(props.get("BackupRetentionPeriod", 1)),
            "DeletionProtection": str(props.get("DeletionProtection", False)).lower() == "true",
            "EnableIAMDatabaseAuthentication": bool(props.get("EnableIAMDatabaseAuthentication", False)),
            "EnableCloudwatchLogsExports": props.get("EnableCloudwatchLogsExports", []),
        }
        if props.get("DatabaseName"):
            arguments["DatabaseName"] = props["DatabaseName"]
        if props.get("ManageMasterUserPassword"):
            arguments["ManageMasterUserPassword"] = True
        else:
            arguments["MasterUserPassword"] = dynamic_reference(props["MasterUserPassword"], clients, region)
        cluster = clients("rds", region).create_db_cluster(**arguments)["DBCluster"]
        secret = (cluster.get("MasterUserSecret") or {}).get("SecretArn")
        if arguments.get("ManageMasterUserPassword") and not secret:
            report.note_unchecked("AWS::RDS::DBCluster MasterUserSecret (moto returns no managed secret)")
            secret = f"arn:aws:secretsmanager:{region}:{ACCOUNT}:secret:rds!cluster-unchecked"
        return cluster["DBClusterIdentifier"], {
            "Endpoint.Address": cluster.get("Endpoint", ""),
            "Endpoint.Port": str(cluster.get("Port", "")),
            "MasterUserSecret.SecretArn": secret,
            "Arn": cluster.get("DBClusterArn", ""),
        }
    if kind == "AWS::RDS::DBInstance" and "DBClusterIdentifier" not in props:
        arguments = {
            "DBInstanceIdentifier": logical.lower(),
            "Engine": props["Engine"],
            "EngineVersion": props.get("EngineVersion"),
            "DBInstanceClass": props["DBInstanceClass"],
            "AllocatedStorage": int(props["AllocatedStorage"]),
            "StorageType": props.get("StorageType", "gp2"),
            "MultiAZ": bool(props.get("MultiAZ", False)),
            "Port": int(props["Port"]),
            "MasterUsername": props["MasterUsername"],
            "ManageMasterUserPassword": bool(props.get("ManageMasterUserPassword", False)),
            "StorageEncrypted": bool(props.get("StorageEncrypted", False)),
            "PubliclyAccessible": bool(props.get("PubliclyAccessible", False)),
            "DBSubnetGroupName": props["DBSubnetGroupName"],
            "VpcSecurityGroupIds": props.get("VPCSecurityGroups", []),
            "BackupRetentionPeriod": int(props.get("BackupRetentionPeriod", 1)),
            "DeletionProtection": str(props.get("DeletionProtection", False)).lower() == "true",
            "EnableIAMDatabaseAuthentication": bool(props.get("EnableIAMDatabaseAuthentication", False)),
            "EnableCloudwatchLogsExports": props.get("EnableCloudwatchLogsExports", []),
            "AutoMinorVersionUpgrade": bool(props.get("AutoMinorVersionUpgrade", True)),
            "CopyTagsToSnapshot": bool(props.get("CopyTagsToSnapshot", False)),
        }
        if props.get("DBName"):
            arguments["DBName"] = props["DBName"]
        instance = clients("rds", region).create_db_instance(**arguments)["DBInstance"]
        secret = (instance.get("MasterUserSecret") or {}).get("SecretArn")
        if arguments["ManageMasterUserPassword"] and not secret:
            report.note_unchecked("AWS::RDS::DBInstance MasterUserSecret (moto returns no managed secret)")
            secret = f"arn:aws:secretsmanager:{region}:{ACCOUNT}:secret:rds!db-unchecked"
        return instance["DBInstanceIdentifier"], {
            "Endpoint.Address": (instance.get("Endpoint") or {}).get("Address", ""),
            "Endpoint.Port": str((instance.get("Endpoint") or {}).get("Port", "")),
            "MasterUserSecret.SecretArn": secret,
        }
    if kind == "AWS::RDS::DBInstance":
        rds = clients("rds", region)
        cluster = rds.describe_db_clusters(DBClusterIdentifier=props["DBClusterIdentifier"])["DBClusters"][0]
        instance = rds.create_db_instance(
            DBInstanceIdentifier=logical.lower(),
            DBClusterIdentifier=props["DBClusterIdentifier"],
            DBInstanceClass=props["DBInstanceClass"],
            Engine=props["Engine"],
            EngineVersion=cluster["EngineVersion"],
            PubliclyAccessible=bool(props.get("PubliclyAccessible", False)),
        )["DBInstance"]
        return instance["DBInstanceIdentifier"], {}
    if kind == "AWS::IAM::OIDCProvider":
        provider = clients("iam", region).create_open_id_connect_provider(
            Url=props["Url"], ClientIDList=props.get("ClientIdList", []), ThumbprintList=props.get("ThumbprintList", [])
        )
        return provider["OpenIDConnectProviderArn"], {"Arn": provider["OpenIDConnectProviderArn"]}
    if kind == "AWS::CertificateManager::Certificate":
        arguments = {"DomainName": props["DomainName"], "ValidationMethod": props.get("ValidationMethod", "DNS")}
        if props.get("SubjectAlternativeNames"):
            arguments["SubjectAlternativeNames"] = props["SubjectAlternativeNames"]
        arn = clients("acm", region).request_certificate(**arguments)["CertificateArn"]
        return arn, {}
    if kind == "AWS::CloudFront::OriginAccessControl":
        config = props["OriginAccessControlConfig"]
        created = clients("cloudfront", region).create_origin_access_control(OriginAccessControlConfig={
            "Name": config["Name"],
            "Description": config.get("Description", ""),
            "SigningProtocol": config["SigningProtocol"],
            "SigningBehavior": config["SigningBehavior"],
            "OriginAccessControlOriginType": config["OriginAccessControlOriginType"],
        })
        return created["OriginAccessControl"]["Id"], {"Id": created["OriginAccessControl"]["Id"]}
    if kind == "AWS::CloudFront::Function":
        created = clients("cloudfront", region).create_function(
            Name=props["Name"],
            FunctionConfig={"Comment": props.get("FunctionConfig", {}).get("Comment", ""),
                            "Runtime": props.get("FunctionConfig", {}).get("Runtime", "cloudfront-js-2.0")},
            FunctionCode=props.get("FunctionCode", "").encode(),
        )
        arn = created["FunctionSummary"]["FunctionMetadata"]["FunctionARN"]
        return arn, {"FunctionARN": arn, "FunctionMetadata.FunctionARN": arn}
    if kind == "AWS::CloudFront::Distribution":
        return create_distribution(logical, props["DistributionConfig"], clients, region, report)
    if kind == "AWS::S3::BucketPolicy":
        clients("s3", region).put_bucket_policy(Bucket=props["Bucket"], Policy=json.dumps(props["PolicyDocument"]))
        return f"{props['Bucket']}-policy", {}
    if kind == "AWS::SNS::Subscription":
        attributes = {}
        if str(props.get("RawMessageDelivery", False)).lower() == "true":
            attributes["RawMessageDelivery"] = "true"
        arn = clients("sns", region).subscribe(
            TopicArn=props["TopicArn"], Protocol=props["Protocol"], Endpoint=props["Endpoint"],
            Attributes=attributes, ReturnSubscriptionArn=True,
        )["SubscriptionArn"]
        return arn, {}
    if kind == "AWS::ElastiCache::SubnetGroup":
        name = f"stackdraw-{logical.lower()}"
        clients("elasticache", region).create_cache_subnet_group(
            CacheSubnetGroupName=name, CacheSubnetGroupDescription=props["Description"],
            SubnetIds=props["SubnetIds"])
        return name, {}
    if kind == "AWS::ElastiCache::ReplicationGroup":
        group_id = f"sd-{logical.lower()}"[:40]
        flag = lambda key: str(props.get(key, False)).lower() == "true"  # noqa: E731
        group = clients("elasticache", region).create_replication_group(
            ReplicationGroupId=group_id,
            ReplicationGroupDescription=props["ReplicationGroupDescription"],
            Engine=props["Engine"], EngineVersion=props["EngineVersion"],
            CacheNodeType=props["CacheNodeType"], NumCacheClusters=int(props["NumCacheClusters"]),
            AutomaticFailoverEnabled=flag("AutomaticFailoverEnabled"), MultiAZEnabled=flag("MultiAZEnabled"),
            Port=int(props["Port"]), CacheSubnetGroupName=props["CacheSubnetGroupName"],
            SecurityGroupIds=props["SecurityGroupIds"],
            AtRestEncryptionEnabled=flag("AtRestEncryptionEnabled"),
            TransitEncryptionEnabled=flag("TransitEncryptionEnabled"),
        )["ReplicationGroup"]
        address = (group.get("NodeGroups") or [{}])[0].get("PrimaryEndpoint", {}).get(
            "Address", f"{group_id}.cache.amazonaws.com")
        return group_id, {"PrimaryEndPoint.Address": address}
    apis = lambda: clients("apigatewayv2", region)  # noqa: E731
    if kind == "AWS::ApiGatewayV2::Api":
        api = apis().create_api(Name=props["Name"], ProtocolType=props["ProtocolType"], Tags=props.get("Tags", {}))
        return api["ApiId"], {"ApiId": api["ApiId"], "ApiEndpoint": api["ApiEndpoint"]}
    if kind == "AWS::ApiGatewayV2::Stage":
        settings = props.get("AccessLogSettings", {})
        apis().create_stage(ApiId=props["ApiId"], StageName=props["StageName"],
                            AutoDeploy=str(props.get("AutoDeploy", False)).lower() == "true",
                            AccessLogSettings={"DestinationArn": settings.get("DestinationArn", ""),
                                               "Format": settings.get("Format", "")})
        return props["StageName"], {}
    if kind == "AWS::ApiGatewayV2::VpcLink":
        link = apis().create_vpc_link(Name=props["Name"], SubnetIds=props["SubnetIds"],
                                      SecurityGroupIds=props.get("SecurityGroupIds", []))
        return link["VpcLinkId"], {"VpcLinkId": link["VpcLinkId"]}
    if kind == "AWS::ApiGatewayV2::Integration":
        fields = {key: props[key] for key in ("IntegrationType", "IntegrationMethod", "IntegrationUri",
                                              "ConnectionType", "ConnectionId", "PayloadFormatVersion")
                  if key in props}
        if "TlsConfig" in props:
            fields["TlsConfig"] = {"ServerNameToVerify": props["TlsConfig"]["ServerNameToVerify"]}
        integration = apis().create_integration(ApiId=props["ApiId"], **fields)
        return integration["IntegrationId"], {}
    if kind == "AWS::ApiGatewayV2::Route":
        route = apis().create_route(ApiId=props["ApiId"], RouteKey=props["RouteKey"], Target=props["Target"])
        return route["RouteId"], {}
    if kind == "AWS::SQS::QueuePolicy":
        for url in props["Queues"]:
            clients("sqs", region).set_queue_attributes(
                QueueUrl=url, Attributes={"Policy": json.dumps(props["PolicyDocument"])})
        return f"{logical}-policy", {}
    raise NotImplementedError(kind)


def create_distribution(logical, config, clients, region, report):
    """A distribution with the template's origins, default behaviour,
    aliases and root object; the rest of its configuration is unchecked."""
    origins = []
    for origin in config.get("Origins", []):
        item = {"Id": origin["Id"], "DomainName": origin["DomainName"], "OriginPath": origin.get("OriginPath", "")}
        if "S3OriginConfig" in origin:
            item["S3OriginConfig"] = {"OriginAccessIdentity": origin["S3OriginConfig"].get("OriginAccessIdentity", "")}
        if "CustomOriginConfig" in origin:
            custom = origin["CustomOriginConfig"]
            item["CustomOriginConfig"] = {
                "HTTPPort": int(custom.get("HTTPPort", 80)),
                "HTTPSPort": int(custom.get("HTTPSPort", 443)),
                "OriginProtocolPolicy": custom["OriginProtocolPolicy"],
            }
        if origin.get("OriginAccessControlId"):
            item["OriginAccessControlId"] = origin["OriginAccessControlId"]
        origins.append(item)
    behaviour = config["DefaultCacheBehavior"]
    api_config = {
        "CallerReference": logical,
        "Comment": config.get("Comment", ""),
        "Enabled": bool(config.get("Enabled", True)),
        "Origins": {"Quantity": len(origins), "Items": origins},
        "DefaultCacheBehavior": {
            "TargetOriginId": behaviour["TargetOriginId"],
            "ViewerProtocolPolicy": behaviour["ViewerProtocolPolicy"],
        },
        "DefaultRootObject": config.get("DefaultRootObject", ""),
    }
    if config.get("Aliases"):
        api_config["Aliases"] = {"Quantity": len(config["Aliases"]), "Items": config["Aliases"]}
    report.note_unchecked("AWS::CloudFront::Distribution cache behaviours, policies, certificate and logging (created with origins, default behaviour, aliases and root object only)")
    created = clients("cloudfront", region).create_distribution(DistributionConfig=api_config)["Distribution"]
    return created["Id"], {"DomainName": created["DomainName"], "Id": created["Id"]}


# ------------------------------------------------------------ deploying


class Deployment:
    """One template created in the emulator, in the phases described above."""

    def __init__(self, moto, name, template, region, report):
        self.moto = moto
        self.name = name
        self.template = template
        self.region = region
        self.report = report
        self.stack = re.sub(r"-+", "-", re.sub(r"[^A-Za-z0-9]", "-", f"stackdraw-{name}")).strip("-")[:100]
        self.physical = {}  # logical id -> physical id (stack and stand-ins)
        self.kinds = {k: v["Type"] for k, v in template["Resources"].items()}

    def clients(self, service, region=None):
        return self.moto.client(service, region or self.region)

    def wait(self, waiter):
        self.clients("cloudformation").get_waiter(waiter).wait(
            StackName=self.stack, WaiterConfig={"Delay": 0.2, "MaxAttempts": 300}
        )

    def failure_reason(self):
        events = self.clients("cloudformation").describe_stack_events(StackName=self.stack)["StackEvents"]
        reasons = [e.get("ResourceStatusReason", "") for e in events if "FAILED" in e.get("ResourceStatus", "")]
        return "; ".join(r for r in reasons if r)[:600] or "no reason given"

    def deploy(self):
        resources = self.template["Resources"]
        self.parameters = parameter_values(self.template, self.clients, self.region)
        resolver = Resolver(self.region, self.parameters, self.template.get("Conditions"))
        self.resolver = resolver
        live = {k for k, v in resources.items() if "Condition" not in v or resolver.conditions.get(v["Condition"])}
        stand_ins = {k for k in live if needs_stand_in(resources[k])}
        unknown = {resources[k]["Type"] for k in live - stand_ins}
        # Supported resources that need a stand-in first, directly or not.
        later = set()
        changed = True
        while changed:
            changed = False
            for name in live - stand_ins - later:
                if dependencies(resources[name]) & (stand_ins | later):
                    later.add(name)
                    changed = True
        first = live - stand_ins - later

        cloudformation = self.clients("cloudformation")
        body = prepare_for_phase(self.template, first, {}, resolver)
        stack_parameters = [
            {"ParameterKey": key, "ParameterValue": value} for key, value in self.parameters.items()
        ]
        cloudformation.create_stack(
            StackName=self.stack,
            TemplateBody=json.dumps(body),
            Parameters=stack_parameters,
            Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"],
        )
        try:
            self.wait("stack_create_complete")
        except Exception:
            return self.report.check(f"{self.name}: the stack creates", False, self.failure_reason())
        self.learn_stack()
        self.apply_ignored_properties(first)

        # Stand-ins that refer to what the stack's second phase creates (an
        # API's integration with a listener that waits for a certificate)
        # come after that phase.
        late = set()
        changed = True
        while changed:
            changed = False
            for name in stand_ins - late:
                if dependencies(resources[name]) & (later | late):
                    late.add(name)
                    changed = True
        if not self.create_stand_ins(stand_ins - late, resources, resolver):
            return False

        if later:
            body = prepare_for_phase(self.template, first | later, {n: self.physical[n] for n in stand_ins - late},
                                     resolver)
            cloudformation.update_stack(
                StackName=self.stack,
                TemplateBody=json.dumps(body),
                Parameters=[{"ParameterKey": key, "UsePreviousValue": True} for key in self.parameters],
                Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"],
            )
            try:
                self.wait("stack_update_complete")
            except Exception:
                return self.report.check(f"{self.name}: the stack's second phase", False, self.failure_reason())
            self.learn_stack()
        if late and not self.create_stand_ins(late, resources, resolver):
            return False
        self.body = prepare_for_phase(self.template, first | later, {n: self.physical[n] for n in stand_ins}, resolver)
        for kind in sorted(unknown):
            if kind not in self.KNOWN_SUPPORTED:
                self.report.note_unchecked(f"{kind}: created, not compared")
        return self.report.check(
            f"{self.name}: {len(first | later)} resources through the stack, {len(stand_ins)} through their APIs",
            True,
        )

    def create_stand_ins(self, names, resources, resolver):
        """Each through its API, once what it refers to exists."""
        pending = sorted(names)
        while pending:
            ready = [n for n in pending if not (dependencies(resources[n]) & set(pending))]
            if not ready:
                return self.report.check(f"{self.name}: stand-ins", False, f"circular: {pending}")
            for name in ready:
                pending.remove(name)
                kind = resources[name]["Type"]
                try:
                    props = resolver.resolve(resources[name].get("Properties", {}))
                    ref, attributes = create_stand_in(name, kind, props, self.clients, self.region, self.report)
                except Exception as error:  # noqa: BLE001 - reported, not hidden
                    self.report.check(f"{self.name}: {kind} {name} through its API", False, repr(error))
                    ref, attributes = f"unchecked-{name.lower()}", {}
                self.physical[name] = ref
                resolver.values[name] = ref
                resolver.attributes.setdefault(name, {}).update(attributes)
        return True

    # Types the comparison below looks at; any other that was created is
    # printed as "created, not compared".
    KNOWN_SUPPORTED = {
        "AWS::EC2::VPC", "AWS::EC2::Subnet", "AWS::EC2::RouteTable", "AWS::EC2::Route",
        "AWS::EC2::SubnetRouteTableAssociation", "AWS::EC2::SecurityGroup",
        "AWS::EC2::SecurityGroupIngress", "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "AWS::ElasticLoadBalancingV2::Listener", "AWS::ElasticLoadBalancingV2::TargetGroup",
        "AWS::ECS::Service", "AWS::ECS::TaskDefinition", "AWS::ECS::Cluster", "AWS::S3::Bucket",
        "AWS::EC2::InternetGateway", "AWS::EC2::VPCGatewayAttachment", "AWS::EC2::NatGateway",
        "AWS::EC2::EIP", "AWS::SQS::Queue", "AWS::DynamoDB::Table", "AWS::SNS::Topic",
        "AWS::Lambda::Function", "AWS::Lambda::Permission", "AWS::Lambda::EventSourceMapping",
        "AWS::AutoScaling::AutoScalingGroup", "AWS::EC2::LaunchTemplate",
    }

    def learn_stack(self):
        listing = self.clients("cloudformation").describe_stack_resources(StackName=self.stack)
        for resource in listing["StackResources"]:
            logical, physical = resource.get("LogicalResourceId"), resource.get("PhysicalResourceId", "")
            if not logical:
                continue
            kind = resource["ResourceType"]
            if kind == "AWS::RDS::DBSubnetGroup" and not physical:
                physical = self.find_subnet_group(logical)
            self.physical[logical] = physical
            self.resolver.values[logical] = physical
            try:
                self.resolver.attributes[logical] = attributes_of(kind, physical, self.clients, self.region)
            except Exception as error:  # noqa: BLE001
                self.report.note_unchecked(f"attributes of {kind} ({error!r})")

    def find_subnet_group(self, logical):
        """moto gives a DB subnet group no physical id: find it by subnets."""
        wanted = set(self.resolver.resolve(self.template["Resources"][logical]["Properties"]["SubnetIds"]))
        for group in self.clients("rds").describe_db_subnet_groups()["DBSubnetGroups"]:
            if {s["SubnetIdentifier"] for s in group["Subnets"]} == wanted:
                return group["DBSubnetGroupName"]
        return ""

    def apply_ignored_properties(self, created):
        """moto keeps the default allow-all egress of a group whose template
        replaces it with `SecurityGroupEgress`: apply the replacement."""
        ec2 = self.clients("ec2")
        for name in sorted(created):
            resource = self.template["Resources"][name]
            if resource["Type"] != "AWS::EC2::SecurityGroup":
                continue
            inline = resource.get("Properties", {}).get("SecurityGroupEgress")
            if inline is None:
                continue
            group = self.physical[name]
            ec2.revoke_security_group_egress(
                GroupId=group, IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
            )
            rules = [permission(self.resolver.resolve(rule), "DestinationSecurityGroupId") for rule in inline]
            if rules:
                ec2.authorize_security_group_egress(GroupId=group, IpPermissions=rules)


# ------------------------------------------------------------ comparing

PROTOCOLS = {"tcp": "tcp", "udp": "udp", "icmp": "icmp", "all": "-1"}


def canonical(block):
    import ipaddress

    return str(ipaddress.ip_network(block, strict=False))


def kind_of(node):
    (kind, props), = node["kind"].items()
    return kind, props


def expected_rule(rule, logical):
    protocol = PROTOCOLS[rule["protocol"]]
    ports = (None, None) if protocol == "-1" else (rule.get("from_port", 0), rule.get("to_port", 0))
    if protocol == "icmp":
        ports = (None, None)
    (peer_kind, peer), = rule["peer"].items()
    peer = canonical(peer) if peer_kind == "cidr" else logical[peer]
    return (protocol, ports, peer)


def actual_rules(permissions, reverse):
    rules = set()
    for entry in permissions:
        protocol = entry["IpProtocol"]
        ports = (None, None) if protocol in ("-1", "icmp") else (entry.get("FromPort"), entry.get("ToPort"))
        for block in entry.get("IpRanges", []):
            if block["CidrIp"] == "127.0.0.1/32" and protocol == "-1":
                continue  # the exporter's placeholder that removes the default egress
            rules.add((protocol, ports, canonical(block["CidrIp"])))
        for pair in entry.get("UserIdGroupPairs", []):
            rules.add((protocol, ports, reverse.get(pair["GroupId"], pair["GroupId"])))
    return rules


def compare(deployment, diagram, report):
    """What exists in the emulator against what the diagram says."""
    logical = logical_ids(diagram)
    physical = {node: deployment.physical.get(logical[node], "") for node in logical}
    # Some resources share their physical id with another (moto gives a
    # gateway attachment its VPC's id): name each id by its own resource.
    aliases = {"AWS::EC2::VPCGatewayAttachment", "AWS::EC2::Route", "AWS::EC2::SubnetRouteTableAssociation"}
    reverse = {
        v: k for k, v in deployment.physical.items() if deployment.kinds.get(k) not in aliases
    }
    ec2 = deployment.clients("ec2")
    name = deployment.name
    table_of = {}
    for node in diagram["nodes"]:
        kind, props = kind_of(node)
        if kind == "subnet" and props.get("route_table"):
            table_of.setdefault(props["route_table"], set()).add(logical[node["id"]])
    resources = deployment.body["Resources"]

    for node in diagram["nodes"]:
        kind, props = kind_of(node)
        node_id, lid, pid = node["id"], logical[node["id"]], physical[node["id"]]
        what = f"{name}: {kind} {node_id}"
        if kind == "vpc":
            vpc = ec2.describe_vpcs(VpcIds=[pid])["Vpcs"][0]
            blocks = {a["CidrBlock"] for a in vpc.get("CidrBlockAssociationSet", [])}
            wanted = {canonical(props["cidr"])} | {canonical(c) for c in props.get("secondary_cidrs", [])}
            report.check(f"{what}: blocks", blocks == wanted, f"{sorted(blocks)} != {sorted(wanted)}")
        elif kind == "subnet":
            subnet = ec2.describe_subnets(SubnetIds=[pid])["Subnets"][0]
            got = (subnet["CidrBlock"], subnet["AvailabilityZone"], reverse.get(subnet["VpcId"]))
            wanted = (canonical(props["cidr"]), props["az"], logical[props["vpc"]])
            report.check(f"{what}: block, zone, VPC", got == wanted, f"{got} != {wanted}")
        elif kind == "route_table":
            table = ec2.describe_route_tables(RouteTableIds=[pid])["RouteTables"][0]
            routes = set()
            for route in table["Routes"]:
                target = route.get("GatewayId") or route.get("NatGatewayId") or route.get("VpcPeeringConnectionId")
                if target == "local" or str(target).startswith("vpce-"):
                    continue  # a gateway endpoint's own route: compared with the endpoint
                routes.add((route.get("DestinationCidrBlock"), reverse.get(target, target)))
            wanted = {(canonical(r["destination"]), logical[r["target"]]) for r in props.get("routes", [])}
            report.check(f"{what}: routes", routes == wanted, f"{sorted(routes, key=str)} != {sorted(wanted, key=str)}")
            # moto accepts associations and ignores them: read the template.
            associated = {
                r["Properties"]["SubnetId"]["Ref"]
                for r in resources.values()
                if r["Type"] == "AWS::EC2::SubnetRouteTableAssociation"
                and r["Properties"]["RouteTableId"] == {"Ref": lid}
            }
            report.check(f"{what}: subnets associated (template)", associated == table_of.get(node_id, set()),
                         f"{sorted(associated)} != {sorted(table_of.get(node_id, set()))}")
        elif kind == "security_group":
            group = ec2.describe_security_groups(GroupIds=[pid])["SecurityGroups"][0]
            for direction, key in (("ingress", "IpPermissions"), ("egress", "IpPermissionsEgress")):
                got = actual_rules(group.get(key, []), reverse)
                wanted = {expected_rule(rule, logical) for rule in props.get(direction, [])}
                report.check(f"{what}: {direction} rules", got == wanted,
                             f"extra {sorted(map(str, got - wanted))}, missing {sorted(map(str, wanted - got))}")
        elif kind == "vpc_endpoint":
            endpoint = ec2.describe_vpc_endpoints(VpcEndpointIds=[pid])["VpcEndpoints"][0]
            suffix = {"s3": "s3", "ecr_api": "ecr.api", "ecr_dkr": "ecr.dkr", "logs": "logs",
                      "secrets_manager": "secretsmanager", "dynamodb": "dynamodb", "sqs": "sqs",
                      "sns": "sns"}[props["service"]]
            got = (
                endpoint["ServiceName"],
                endpoint["VpcEndpointType"],
                {reverse.get(t) for t in endpoint.get("RouteTableIds", [])},
                {reverse.get(t) for t in endpoint.get("SubnetIds", [])},
                {reverse.get(g["GroupId"]) for g in endpoint.get("Groups", [])},
                bool(endpoint.get("PrivateDnsEnabled")),
            )
            gateway = props["service"] in ("s3", "dynamodb")
            wanted = (
                f"com.amazonaws.{diagram['region']}.{suffix}",
                "Gateway" if gateway else "Interface",
                {logical[t] for t in props.get("route_tables", [])},
                {logical[t] for t in props.get("subnets", [])},
                {logical[g] for g in props.get("security_groups", [])},
                not gateway,
            )
            report.check(f"{what}: service, type, route tables, subnets, groups, private DNS", got == wanted,
                         f"{got} != {wanted}")
        elif kind == "network_acl":
            acl = ec2.describe_network_acls(NetworkAclIds=[pid])["NetworkAcls"][0]
            protocols = {"tcp": "6", "udp": "17", "icmp": "1", "all": "-1"}
            got_entries = set()
            for entry in acl.get("Entries", []):
                if entry["RuleNumber"] == 32767:
                    continue  # the final * rule AWS adds to every ACL
                ports = entry.get("PortRange")
                got_entries.add((entry["Egress"], entry["RuleNumber"], str(entry["Protocol"]), entry["RuleAction"],
                                 canonical(entry["CidrBlock"]), (ports["From"], ports["To"]) if ports else None))
            wanted_entries = set()
            for egress, direction in ((False, "inbound"), (True, "outbound")):
                for rule in props.get(direction, []):
                    with_ports = rule["protocol"] in ("tcp", "udp")
                    wanted_entries.add((egress, rule["number"], protocols[rule["protocol"]], rule["action"],
                                        canonical(rule["cidr"]),
                                        (rule.get("from_port", 0), rule.get("to_port", 0)) if with_ports else None))
            report.check(f"{what}: rules", got_entries == wanted_entries,
                         f"extra {sorted(map(str, got_entries - wanted_entries))}, missing {sorted(map(str, wanted_entries - got_entries))}")
            got = (reverse.get(acl["VpcId"]), {reverse.get(a["SubnetId"]) for a in acl.get("Associations", [])})
            wanted = (logical[props["vpc"]], {logical[s] for s in props.get("subnets", [])})
            report.check(f"{what}: VPC and subnets", got == wanted, f"{got} != {wanted}")
        elif kind == "vpc_peering":
            peering = ec2.describe_vpc_peering_connections(VpcPeeringConnectionIds=[pid])["VpcPeeringConnections"][0]
            got = (reverse.get(peering["RequesterVpcInfo"]["VpcId"]), reverse.get(peering["AccepterVpcInfo"]["VpcId"]))
            wanted = (logical[props["requester"]], logical[props["accepter"]])
            report.check(f"{what}: requester and accepter", got == wanted, f"{got} != {wanted}")
        elif kind == "load_balancer":
            elbv2 = deployment.clients("elbv2")
            balancer = elbv2.describe_load_balancers(LoadBalancerArns=[pid])["LoadBalancers"][0]
            subnets = {reverse.get(z["SubnetId"]) for z in balancer.get("AvailabilityZones", [])}
            wanted_subnets = {logical[s] for s in props["subnets"]}
            scheme = props["scheme"].replace("_", "-")
            report.check(f"{what}: scheme and subnets", (balancer["Scheme"], subnets) == (scheme, wanted_subnets),
                         f"{balancer['Scheme']} {sorted(map(str, subnets))} != {scheme} {sorted(wanted_subnets)}")
            listeners = {(l["Port"], l["Protocol"]) for l in elbv2.describe_listeners(LoadBalancerArn=pid)["Listeners"]}
            wanted = {(l["port"], l["protocol"].upper()) for l in props.get("listeners", [])}
            report.check(f"{what}: listeners", listeners == wanted, f"{sorted(listeners)} != {sorted(wanted)}")
            for at, group in enumerate(props.get("target_groups", []), start=1):
                arn = deployment.physical.get(f"{lid}TargetGroup{at}")
                found = elbv2.describe_target_groups(TargetGroupArns=[arn])["TargetGroups"][0]
                if group["target_type"] == "lambda":
                    # Invokes its function: no port or protocol; the function
                    # is registered when its policy lets the balancer invoke.
                    # moto's CloudFormation registers no targets: they are
                    # read from the template, with what must come first.
                    report.note_unchecked("target groups' Targets (moto's CloudFormation ignores them; read from the template)")
                    written = deployment.body["Resources"][f"{lid}TargetGroup{at}"]
                    registered = [reverse_logical(t["Id"]) for t in written["Properties"].get("Targets", [])]
                    function = group.get("target", {}).get("service")
                    invokers = next((kind_of(n)[1].get("invokers", []) for n in deployment.diagram["nodes"]
                                     if n["id"] == function), [])
                    after = written.get("DependsOn", [])
                    after = [after] if isinstance(after, str) else after
                    permitted = any(deployment.kinds.get(a) == "AWS::Lambda::Permission" for a in after)
                    got = (found["TargetType"], registered, "AWS::Lambda::Permission" if permitted else None)
                    wanted = ("lambda", [logical[function]] if node_id in invokers else [],
                              "AWS::Lambda::Permission" if node_id in invokers else None)
                else:
                    got = (found["Port"], found["Protocol"], found["TargetType"])
                    wanted = (group["port"], group["protocol"].upper(), group["target_type"])
                report.check(f"{what}: target group {group['name']}", got == wanted, f"{got} != {wanted}")
        elif kind == "fargate_service":
            compare_service(deployment, node, props, logical, report)
        elif kind == "lambda_function":
            compare_function(deployment, node, props, logical, reverse, report)
        elif kind == "http_api":
            compare_api(deployment, node, props, logical, reverse, report)
        elif kind == "auto_scaling_group":
            compare_auto_scaling(deployment, node, props, logical, reverse, report)
        elif kind == "ec2_instance":
            compare_instance(deployment, node, props, logical, reverse, report)
        elif kind == "aurora_cluster":
            rds = deployment.clients("rds")
            cluster = rds.describe_db_clusters(DBClusterIdentifier=pid)["DBClusters"][0]
            group = rds.describe_db_subnet_groups(DBSubnetGroupName=cluster["DBSubnetGroup"])["DBSubnetGroups"][0]
            got = (
                cluster["Engine"],
                cluster["Port"],
                {reverse.get(s["SubnetIdentifier"]) for s in group["Subnets"]},
                {reverse.get(g["VpcSecurityGroupId"]) for g in cluster.get("VpcSecurityGroups", [])},
            )
            wanted = (
                props["engine"].replace("_", "-"),
                props["port"],
                {logical[s] for s in props["subnets"]},
                {logical[g] for g in props.get("security_groups", [])},
            )
            report.check(f"{what}: engine, port, subnet group, groups", got == wanted, f"{got} != {wanted}")
        elif kind == "rds_instance":
            rds = deployment.clients("rds")
            instance = rds.describe_db_instances(DBInstanceIdentifier=pid)["DBInstances"][0]
            group = instance["DBSubnetGroup"]
            got = (
                instance["Engine"],
                int(instance.get("Endpoint", {}).get("Port") or instance.get("DbInstancePort") or 0),
                bool(instance.get("MultiAZ")),
                instance["DBInstanceClass"],
                {reverse.get(s["SubnetIdentifier"]) for s in group["Subnets"]},
                {reverse.get(g["VpcSecurityGroupId"]) for g in instance.get("VpcSecurityGroups", [])},
            )
            wanted = (
                props["engine"],
                props["port"],
                bool(props.get("multi_az", False)),
                props["instance_class"],
                {logical[s] for s in props["subnets"]},
                {logical[g] for g in props.get("security_groups", [])},
            )
            report.check(f"{what}: engine, port, Multi-AZ, class, subnet group, groups", got == wanted, f"{got} != {wanted}")
        elif kind == "sqs_queue":
            sqs = deployment.clients("sqs")
            url = pid if pid.startswith("http") else sqs.get_queue_url(QueueName=pid)["QueueUrl"]
            attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
            got = (
                url.rsplit("/", 1)[-1],
                attributes.get("FifoQueue", "false") == "true",
                int(attributes["VisibilityTimeout"]),
                int(attributes["MessageRetentionPeriod"]),
            )
            queue_name = props["queue_name"] + (".fifo" if props.get("fifo") else "")
            wanted = (queue_name, bool(props.get("fifo")), props["visibility_timeout_seconds"],
                      props["message_retention_seconds"])
            report.check(f"{what}: name, FIFO, visibility timeout, retention", got == wanted, f"{got} != {wanted}")
        elif kind == "elasticache_cache":
            elasticache = deployment.clients("elasticache")
            group = elasticache.describe_replication_groups(ReplicationGroupId=pid)["ReplicationGroups"][0]
            written = deployment.template["Resources"][lid]["Properties"]["CacheSubnetGroupName"]
            subnet_group = elasticache.describe_cache_subnet_groups(
                CacheSubnetGroupName=deployment.physical[written["Ref"]]
            )["CacheSubnetGroups"][0]
            # moto makes one node whatever NumCacheClusters says (it reads
            # ReplicasPerNodeGroup only): the count is read from the template.
            report.note_unchecked("ElastiCache NumCacheClusters (moto ignores it; read from the template)")
            got = (
                int(deployment.template["Resources"][lid]["Properties"]["NumCacheClusters"]),
                group.get("MultiAZ") == "enabled",
                group.get("CacheNodeType"),
                group.get("TransitEncryptionEnabled", False),
                {reverse.get(s["SubnetIdentifier"]) for s in subnet_group["Subnets"]},
            )
            wanted = (
                1 + props["replicas"],
                bool(props.get("multi_az")),
                props["node_type"],
                props.get("transit_encryption", True),
                {logical[s] for s in props["subnets"]},
            )
            report.check(f"{what}: nodes, Multi-AZ, node type, TLS, subnet group", got == wanted, f"{got} != {wanted}")
        elif kind == "sns_topic":
            # A topic's physical id is its ARN.
            sns, sqs = deployment.clients("sns"), deployment.clients("sqs")
            attributes = sns.get_topic_attributes(TopicArn=pid)["Attributes"]
            got = (
                pid.rsplit(":", 1)[-1],
                attributes.get("FifoTopic", "false") == "true",
                attributes.get("KmsMasterKeyId"),
            )
            topic_name = props["topic_name"] + (".fifo" if props.get("fifo") else "")
            wanted = (topic_name, bool(props.get("fifo")), "alias/aws/sns")
            report.check(f"{what}: name, FIFO, encryption key", got == wanted, f"{got} != {wanted}")

            def queue_arn(queue_id):
                physical = deployment.physical[logical[queue_id]]
                url = physical if physical.startswith("http") else sqs.get_queue_url(QueueName=physical)["QueueUrl"]
                return url, sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]

            subscriptions = sns.list_subscriptions_by_topic(TopicArn=pid)["Subscriptions"]
            got = set()
            for subscription in subscriptions:
                raw = sns.get_subscription_attributes(SubscriptionArn=subscription["SubscriptionArn"])["Attributes"]
                got.add((subscription["Protocol"], subscription["Endpoint"], raw.get("RawMessageDelivery", "false") == "true"))
            wanted = {
                ("sqs", queue_arn(s["queue"])[1], bool(s.get("raw_message_delivery")))
                for s in props.get("subscriptions", [])
            }
            report.check(f"{what}: its queues' subscriptions", got == wanted, f"{sorted(got)} != {sorted(wanted)}")
            # Each queue's policy lets SNS send from this topic when the
            # diagram says it does.
            for s in props.get("subscriptions", []):
                url, _ = queue_arn(s["queue"])
                policy = json.loads(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"])
                                    .get("Attributes", {}).get("Policy", "{}"))
                lets = any(
                    statement.get("Effect") == "Allow"
                    and (statement.get("Principal") or {}).get("Service") == "sns.amazonaws.com"
                    and pid in json.dumps(statement.get("Condition", {}))
                    for statement in policy.get("Statement", [])
                )
                report.check(f"{what}: the queue policy of {s['queue']} lets the topic send",
                             lets == s.get("queue_policy_allows", True), f"{policy}")
        elif kind == "secret":
            # A secret's physical id is its ARN.
            secrets = deployment.clients("secretsmanager")
            described = secrets.describe_secret(SecretId=pid)
            value = secrets.get_secret_value(SecretId=pid)["SecretString"]
            report.check(f"{what}: name", described["Name"] == props["secret_name"],
                         f"{described['Name']} != {props['secret_name']}")
            database = props.get("database")
            if database:
                document = json.loads(value)
                database_kind = kind_of(next(n for n in diagram["nodes"] if n["id"] == database))[0]
                username = next(kind_of(n)[1]["master_username"] for n in diagram["nodes"] if n["id"] == database)
                got = (document.get("username"), bool(document.get("password")), bool(document.get("host")))
                report.check(f"{what}: the credentials of {database} ({database_kind}), and where it is",
                             got == (username, True, True), f"{got}")
                # The database takes its password from the secret, not from RDS.
                written = deployment.template["Resources"][logical[database]]["Properties"]
                report.check(f"{what}: {database} reads its password from the secret",
                             logical[node_id] in json.dumps(written.get("MasterUserPassword"))
                             and "ManageMasterUserPassword" not in written,
                             json.dumps(written.get("MasterUserPassword")))
            else:
                report.note_unchecked("a secret's generated length (moto's stand-in value is fixed; read from the template)")
                generated = deployment.template["Resources"][lid]["Properties"]["GenerateSecretString"]
                report.check(f"{what}: generated length", int(generated["PasswordLength"]) == props["password_length"],
                             f"{generated}")
                report.check(f"{what}: holds a value from the first deploy", bool(value), "empty")
        elif kind == "web_acl":
            if props["scope"] == "cloudfront":
                report.note_unchecked("a CloudFront web ACL (created in us-east-1, outside the stack)")
                continue
            wafv2 = deployment.clients("wafv2")
            acl_name, acl_id, scope = pid.split("|")
            acl = wafv2.get_web_acl(Name=acl_name, Id=acl_id, Scope=scope)["WebACL"]
            rules = [r["Statement"] for r in acl.get("Rules", [])]
            managed = sorted(s["ManagedRuleGroupStatement"]["Name"] for s in rules if "ManagedRuleGroupStatement" in s)
            limits = [int(s["RateBasedStatement"]["Limit"]) for s in rules if "RateBasedStatement" in s]
            groups = {
                "common_rules": "AWSManagedRulesCommonRuleSet",
                "known_bad_inputs": "AWSManagedRulesKnownBadInputsRuleSet",
                "ip_reputation": "AWSManagedRulesAmazonIpReputationList",
                "sql_injection": "AWSManagedRulesSQLiRuleSet",
            }
            got = (scope, "Allow" in acl["DefaultAction"], managed, limits)
            wanted = (
                "REGIONAL", True,
                sorted(group for flag, group in groups.items() if props.get(flag)),
                [props["rate_limit"]] if props.get("rate_limit") else [],
            )
            report.check(f"{what}: scope, default action, managed rule groups, rate limit", got == wanted,
                         f"{got} != {wanted}")
            for protected in props.get("protects", []):
                arn = deployment.physical[logical[protected]]
                found = wafv2.get_web_acl_for_resource(ResourceArn=arn).get("WebACL") or {}
                report.check(f"{what}: protects {protected}", found.get("Id") == acl_id, f"{found}")
            logging = wafv2.get_logging_configuration(ResourceArn=acl["ARN"])["LoggingConfiguration"]
            destinations = logging.get("LogDestinationConfigs", [])
            report.check(f"{what}: logs to a CloudWatch log group WAF writes to",
                         len(destinations) == 1 and ":log-group:aws-waf-logs-" in destinations[0]
                         and not destinations[0].endswith(":*"), f"{destinations}")
        elif kind == "dynamodb_table":
            table = deployment.clients("dynamodb").describe_table(TableName=pid)["Table"]
            types = {a["AttributeName"]: a["AttributeType"] for a in table["AttributeDefinitions"]}
            keys = {k["KeyType"]: k["AttributeName"] for k in table["KeySchema"]}
            billing = (table.get("BillingModeSummary") or {}).get("BillingMode", "PROVISIONED")
            got = (
                table["TableName"],
                (keys.get("HASH"), types.get(keys.get("HASH"))),
                (keys.get("RANGE"), types.get(keys.get("RANGE"))) if "RANGE" in keys else None,
                billing,
            )
            letter = {"string": "S", "number": "N", "binary": "B"}
            partition = props["partition_key"]
            sort = props.get("sort_key")
            wanted = (
                props["table_name"],
                (partition["name"], letter[partition["attribute_type"]]),
                (sort["name"], letter[sort["attribute_type"]]) if sort else None,
                "PAY_PER_REQUEST",
            )
            report.check(f"{what}: name, keys, billing", got == wanted, f"{got} != {wanted}")


def compare_service(deployment, node, props, logical, report):
    what = f"{deployment.name}: fargate_service {node['id']}"
    lid = logical[node["id"]]
    ecs = deployment.clients("ecs")
    cluster = deployment.physical.get(logical.get(props.get("cluster", ""), ""), "default")
    found = ecs.describe_services(cluster=cluster, services=[deployment.physical[lid]])["services"][0]
    starts_at_zero = any("ecr" in c["image"] for c in props["containers"])
    wanted_count = 0 if starts_at_zero else props["desired_count"]
    report.check(f"{what}: runs {wanted_count} tasks before the pipeline's first push",
                 found["desiredCount"] == wanted_count, f"{found['desiredCount']}")
    # moto accepts the service's network configuration and load balancers
    # and ignores them: check them in the template it was given.
    template = deployment.body["Resources"][lid]["Properties"]
    network = template["NetworkConfiguration"]["AwsvpcConfiguration"]
    got = (
        {s["Ref"] for s in network["Subnets"]},
        {g["Ref"] for g in network.get("SecurityGroups", [])},
        network["AssignPublicIp"] == "ENABLED",
    )
    wanted = (
        {logical[s] for s in props["subnets"]},
        {logical[g] for g in props.get("security_groups", [])},
        props.get("assign_public_ip", False),
    )
    report.check(f"{what}: subnets, groups, public IP (template)", got == wanted, f"{got} != {wanted}")
    balancers = {(b["ContainerName"], b["ContainerPort"]) for b in template.get("LoadBalancers", [])}
    wanted_balancers = set()
    for other in deployment.diagram["nodes"]:
        kind, alb = kind_of(other)
        if kind != "load_balancer":
            continue
        for group in alb.get("target_groups", []):
            target = group.get("target")
            if target and target["service"] == node["id"]:
                port = next((c.get("port") for c in props["containers"] if c["name"] == target["container"]), None)
                wanted_balancers.add((target["container"], port or group["port"]))
    report.check(f"{what}: load balancer targets (template)", balancers == wanted_balancers,
                 f"{sorted(balancers)} != {sorted(wanted_balancers)}")
    # The tables and queues the service draws lines to: its tasks' role may use each.
    tables = data_used_by(deployment, node["id"])
    if tables:
        # moto's CloudFormation drops a task definition's TaskRoleArn: the
        # role comes from the template, its policies from IAM.
        task = deployment.body["Resources"][template["TaskDefinition"]["Ref"]]["Properties"]
        role_logical = (task.get("TaskRoleArn") or {}).get("Fn::GetAtt", [""])[0]
        check_grants(deployment, logical, role_logical, tables, f"{what}: its tasks' role", report)
    if tables:
        report.note_unchecked("ECS task definitions' TaskRoleArn (moto ignores it; read from the template)")
    report.note_unchecked("ECS service network configuration and load balancers (moto ignores them; read from the template)")
    report.note_unchecked("route table associations (moto ignores them; read from the template)")


# ------------------------------------------------------------ the pipeline


def reverse_logical(value):
    """The logical id a `Ref` or `Fn::GetAtt` names."""
    if isinstance(value, dict) and "Ref" in value:
        return value["Ref"]
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        return value["Fn::GetAtt"][0]
    return value


def data_used_by(deployment, node_id):
    """The tables, queues, topics and buckets a node draws lines to, with their kinds."""
    used = [
        (edge["to"], kind_of(next(n for n in deployment.diagram["nodes"] if n["id"] == edge["to"]))[0])
        for edge in deployment.diagram.get("edges", [])
        if edge["from"] == node_id
    ]
    return [(to, kind) for to, kind in used
            if kind in ("dynamodb_table", "sqs_queue", "sns_topic", "s3_bucket", "secret")]


def check_grants(deployment, logical, role_logical, used, what, report):
    """The role's own policies, read from IAM, grant every data store used."""
    role_arn = deployment.physical.get(role_logical, "")
    iam = deployment.clients("iam")
    role = role_arn.rsplit("/", 1)[-1]
    granted = set()
    for name in iam.list_role_policies(RoleName=role)["PolicyNames"] if role else []:
        document = iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"]
        if isinstance(document, str):
            # moto hands back the document CloudFormation gave it as
            # Python's text of the dict, not JSON.
            try:
                document = json.loads(document)
            except ValueError:
                document = ast.literal_eval(document)
        for statement in document.get("Statement", []):
            resources = statement.get("Resource", [])
            granted.update([resources] if isinstance(resources, str) else resources)
    dynamodb, sqs = deployment.clients("dynamodb"), deployment.clients("sqs")

    def arn(to, kind):
        physical = deployment.physical[logical[to]]
        if kind == "dynamodb_table":
            return dynamodb.describe_table(TableName=physical)["Table"]["TableArn"]
        if kind in ("sns_topic", "secret"):
            return physical
        if kind == "s3_bucket":
            return f"arn:aws:s3:::{physical}"
        url = physical if physical.startswith("http") else sqs.get_queue_url(QueueName=physical)["QueueUrl"]
        return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]

    wanted = {arn(to, kind) for to, kind in used}
    report.check(f"{what} may use the tables, queues, topics and buckets drawn to",
                 wanted <= granted,
                 f"{sorted(wanted)} not in {sorted(granted)} (role {role_arn!r})")


def compare_function(deployment, node, props, logical, reverse, report):
    """A Lambda function: its configuration, its subnets and groups, who
    may invoke it (its resource policy) and what its role may use."""
    what = f"{deployment.name}: lambda_function {node['id']}"
    lid = logical[node["id"]]
    client = deployment.clients("lambda")
    configuration = client.get_function(FunctionName=deployment.physical[lid])["Configuration"]
    vpc = configuration.get("VpcConfig") or {}
    got = (
        configuration["FunctionName"], configuration["Runtime"], configuration["Handler"],
        configuration["MemorySize"], configuration["Timeout"],
        {reverse.get(s) for s in vpc.get("SubnetIds", [])},
        {reverse.get(g) for g in vpc.get("SecurityGroupIds", [])},
    )
    runtimes = {"nodejs22": "nodejs22.x", "python313": "python3.13"}
    wanted = (
        props["function_name"], runtimes[props["runtime"]], "index.handler",
        props["memory_mb"], props["timeout_seconds"],
        {logical[s] for s in props.get("subnets", [])},
        {logical[g] for g in props.get("security_groups", [])},
    )
    report.check(f"{what}: name, runtime, handler, memory, timeout, subnets, groups", got == wanted,
                 f"{got} != {wanted}")
    try:
        policy = json.loads(client.get_policy(FunctionName=configuration["FunctionName"])["Policy"])
    except client.exceptions.ResourceNotFoundException:
        policy = {"Statement": []}
    balancing = [
        statement for statement in policy.get("Statement", [])
        if statement.get("Effect") == "Allow"
        and "elasticloadbalancing.amazonaws.com" in json.dumps(statement.get("Principal"))
        and "lambda:InvokeFunction" in json.dumps(statement.get("Action"))
    ]
    kinds = {n["id"]: kind_of(n)[0] for n in deployment.diagram["nodes"]}
    invokers = {kinds.get(i) for i in props.get("invokers", [])}
    report.check(f"{what}: its resource policy lets Elastic Load Balancing invoke it if, and only if, a load balancer does",
                 bool(balancing) == ("load_balancer" in invokers), json.dumps(policy)[:400])
    gateway = [
        statement for statement in policy.get("Statement", [])
        if "apigateway.amazonaws.com" in json.dumps(statement.get("Principal"))
        and "execute-api" in json.dumps(statement.get("Condition", {}))
    ]
    report.check(f"{what}: its resource policy lets API Gateway invoke it if, and only if, an API routes to it",
                 bool(gateway) == ("http_api" in invokers), json.dumps(policy)[:400])
    used = data_used_by(deployment, node["id"])
    if used:
        role_logical = deployment.body["Resources"][lid]["Properties"]["Role"]["Fn::GetAtt"][0]
        check_grants(deployment, logical, role_logical, used, f"{what}: its role", report)
    # The queues Lambda polls for it.
    sqs = deployment.clients("sqs")

    def queue_arn(queue):
        physical = deployment.physical[logical[queue]]
        url = physical if physical.startswith("http") else sqs.get_queue_url(QueueName=physical)["QueueUrl"]
        return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]

    mappings = client.list_event_source_mappings(FunctionName=configuration["FunctionName"])["EventSourceMappings"]
    got = {m["EventSourceArn"] for m in mappings}
    wanted = {queue_arn(q) for q in props.get("event_sources", [])}
    report.check(f"{what}: the queues that trigger it", got == wanted, f"{sorted(got)} != {sorted(wanted)}")


def compare_auto_scaling(deployment, node, props, logical, reverse, report):
    """An Auto Scaling group: its sizes, subnets and target groups, the
    instances it launched, and its launch template's type, groups, IMDSv2
    and the web server its user data starts."""
    what = f"{deployment.name}: auto_scaling_group {node['id']}"
    lid = logical[node["id"]]
    scaling = deployment.clients("autoscaling")
    group = scaling.describe_auto_scaling_groups(
        AutoScalingGroupNames=[deployment.physical[lid]])["AutoScalingGroups"][0]
    balancers = {reverse.get(arn, arn) for arn in group.get("TargetGroupARNs", [])}
    wanted_balancers = set()
    for other in deployment.diagram["nodes"]:
        kind, alb = kind_of(other)
        if kind != "load_balancer":
            continue
        for at, target in enumerate(alb.get("target_groups", []), start=1):
            if (target.get("target") or {}).get("service") == node["id"]:
                wanted_balancers.add(f"{logical[other['id']]}TargetGroup{at}")
    got = (
        group["MinSize"], group["MaxSize"], group["DesiredCapacity"],
        {reverse.get(s) for s in group["VPCZoneIdentifier"].split(",") if s},
        balancers, group["HealthCheckType"], len(group.get("Instances", [])),
    )
    wanted = (
        props["min_size"], props["max_size"], props["desired_capacity"],
        {logical[s] for s in props["subnets"]},
        wanted_balancers, "ELB" if wanted_balancers else "EC2", props["desired_capacity"],
    )
    report.check(f"{what}: sizes, subnets, target groups, health checks, instances launched", got == wanted,
                 f"{got} != {wanted}")
    template = group["LaunchTemplate"]
    version = deployment.clients("ec2").describe_launch_template_versions(
        LaunchTemplateId=template["LaunchTemplateId"], Versions=["$Latest"])["LaunchTemplateVersions"][0]
    data = version["LaunchTemplateData"]
    user_data = base64.b64decode(data.get("UserData", "")).decode(errors="replace")
    got = (
        data.get("InstanceType"),
        {reverse.get(g) for g in data.get("SecurityGroupIds", [])},
        data.get("MetadataOptions", {}).get("HttpTokens"),
        "systemctl enable --now nginx" in user_data,
        data.get("ImageId", "").startswith("ami-"),
    )
    wanted = (
        props["instance_type"], {logical[g] for g in props.get("security_groups", [])}, "required", True, True,
    )
    report.check(f"{what}: launch template (type, groups, IMDSv2, web server, the region's image)", got == wanted,
                 f"{got} != {wanted}")


def compare_instance(deployment, node, props, logical, reverse, report):
    """An EC2 instance: its type, subnet, groups, IMDSv2, the region's
    image, the web server its user data starts on its port, and the target
    groups registering it (read from the template: moto's CloudFormation
    registers no target)."""
    what = f"{deployment.name}: ec2_instance {node['id']}"
    lid = logical[node["id"]]
    ec2 = deployment.clients("ec2")
    instance = ec2.describe_instances(InstanceIds=[deployment.physical[lid]])["Reservations"][0]["Instances"][0]
    user_data = base64.b64decode(
        ec2.describe_instance_attribute(InstanceId=instance["InstanceId"], Attribute="userData")
        .get("UserData", {}).get("Value", "")
    ).decode(errors="replace")
    port_set = props["port"] == 80 or f"listen       {props['port']};" in user_data
    got = (
        instance["InstanceType"],
        instance["ImageId"].startswith("ami-"),
        "systemctl enable --now nginx" in user_data and port_set,
        bool(instance.get("IamInstanceProfile")),
    )
    wanted = (props["instance_type"], True, True, True)
    report.check(f"{what}: type, the region's image, web server on its port, instance profile",
                 got == wanted, f"{got} != {wanted}")
    # moto's CloudFormation ignores an instance's network interfaces and
    # metadata options: read from the template it was given.
    resources = deployment.template["Resources"]
    written = resources[lid]["Properties"]
    interface = written["NetworkInterfaces"][0]
    got = (
        interface["SubnetId"], interface["GroupSet"], interface["AssociatePublicIpAddress"],
        written["MetadataOptions"]["HttpTokens"],
    )
    wanted = (
        {"Ref": logical[props["subnet"]]}, [{"Ref": logical[g]} for g in props.get("security_groups", [])],
        bool(props.get("public_ip")), "required",
    )
    report.check(f"{what}: subnet, groups, public IP, IMDSv2 (template)", got == wanted, f"{got} != {wanted}")
    for other in deployment.diagram["nodes"]:
        kind, alb = kind_of(other)
        if kind != "load_balancer":
            continue
        for at, group in enumerate(alb.get("target_groups", []), start=1):
            if (group.get("target") or {}).get("service") != node["id"]:
                continue
            written = resources[f"{logical[other['id']]}TargetGroup{at}"]["Properties"]
            targets = [(t.get("Id"), int(t.get("Port", 0))) for t in written.get("Targets", [])]
            report.check(f"{what}: registered with {other['id']}'s target group {group['name']} on its port (template)",
                         targets == [({"Ref": lid}, group["port"])] and group["port"] == props["port"], f"{targets}")


def compare_api(deployment, node, props, logical, reverse, report):
    """An HTTP API: its default stage, each route's key and what it goes
    to (a function, or a load balancer's listener through the VPC link),
    and the VPC link's subnets and groups."""
    what = f"{deployment.name}: http_api {node['id']}"
    lid = logical[node["id"]]
    apis = deployment.clients("apigatewayv2")
    api_id = deployment.physical[lid]
    api = apis.get_api(ApiId=api_id)
    report.check(f"{what}: name and protocol", (api["Name"], api["ProtocolType"]) == (props["api_name"], "HTTP"),
                 f"{api['Name']} {api['ProtocolType']}")
    stages = {s["StageName"]: s.get("AutoDeploy") for s in apis.get_stages(ApiId=api_id)["Items"]}
    report.check(f"{what}: the default stage deploys every change", stages.get("$default") is True, str(stages))
    link_id = deployment.physical.get(f"{lid}VpcLink")
    integrations = {i["IntegrationId"]: i for i in apis.get_integrations(ApiId=api_id)["Items"]}
    got = set()
    for route in apis.get_routes(ApiId=api_id)["Items"]:
        integration = integrations.get(route.get("Target", "").split("/", 1)[-1], {})
        uri = integration.get("IntegrationUri", "")
        if integration.get("IntegrationType") == "AWS_PROXY":
            target = next((name for name, physical in deployment.physical.items()
                           if deployment.kinds.get(name) == "AWS::Lambda::Function"
                           and uri.endswith(f":function:{physical}")), uri)
        else:
            listener = reverse.get(uri, uri)
            through_link = integration.get("ConnectionType") == "VPC_LINK" and integration.get("ConnectionId") == link_id
            target = (listener.split("Listener", 1)[0] if through_link else f"{listener} (no VPC link)")
        got.add((route["RouteKey"], target))
    wanted = {(r["route_key"], logical[r["target"]]) for r in props.get("routes", [])}
    report.check(f"{what}: routes and what each goes to", got == wanted, f"{sorted(got)} != {sorted(wanted)}")
    if props.get("vpc_link_subnets"):
        link = apis.get_vpc_link(VpcLinkId=link_id)
        got = ({reverse.get(s) for s in link["SubnetIds"]}, {reverse.get(g) for g in link["SecurityGroupIds"]})
        wanted = ({logical[s] for s in props["vpc_link_subnets"]},
                  {logical[g] for g in props.get("vpc_link_security_groups", [])})
        report.check(f"{what}: the VPC link's subnets and groups", got == wanted, f"{got} != {wanted}")


def function_jobs(config_text):
    """The shell of each of the exported pipeline's function deploys."""
    config = yaml.safe_load(config_text)
    for name, job in (config.get("jobs") or {}).items():
        if "deploy-function-" not in name:
            continue
        for step in job["steps"]:
            if isinstance(step, dict) and "run" in step:
                yield name, step["run"]["command"]


ZIP_SHIM = """#!/usr/bin/env python3
# `zip -qr ARCHIVE .`, as the pipeline's image runs it, where zip is missing.
import os, sys, zipfile
archive = sys.argv[-2]
with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
    for folder, _, files in os.walk("."):
        for file in sorted(files):
            path = os.path.join(folder, file)
            out.write(path, os.path.relpath(path, "."))
"""


def deploy_functions(deployment, diagram, config_text, environment, report):
    """Run each function deploy of the pipeline in a checkout holding new
    code: the function must then run that code, not the placeholder."""
    logical = logical_ids(diagram)
    client = deployment.clients("lambda")
    for job, command in function_jobs(config_text):
        node_id = job.split("deploy-function-", 1)[1]
        node = next((n for n in diagram["nodes"] if n["id"] == node_id), None)
        if node is None:
            report.check(f"{deployment.name}: {job} deploys a function of the diagram", False, node_id)
            continue
        _, props = kind_of(node)
        with tempfile.TemporaryDirectory() as checkout:
            folder = Path(checkout) / "functions" / node_id
            folder.mkdir(parents=True)
            source = "index.py" if props["runtime"].startswith("python") else "index.js"
            code = f"// the real code of {node_id}, built {PIPELINE_COMMIT}\n"
            (folder / source).write_text(code)
            tools = Path(checkout) / ".tools"
            tools.mkdir()
            path = environment["PATH"]
            if not shutil.which("zip", path=path):
                (tools / "zip").write_text(ZIP_SHIM)
                (tools / "zip").chmod(0o755)
                path = f"{tools}:{path}"
            step = subprocess.run(["bash", "-c", command], cwd=checkout, env={**environment, "PATH": path},
                                  capture_output=True, text=True, timeout=120)
            if not report.check(f"{deployment.name}: the pipeline's {job} runs", step.returncode == 0,
                                (step.stderr or step.stdout)[-600:]):
                continue
            archive = (Path(checkout) / f"{node_id}.zip").read_bytes()
            configuration = client.get_function(FunctionName=deployment.physical[logical[node_id]])["Configuration"]
            wanted = base64.b64encode(hashlib.sha256(archive).digest()).decode()
            names = zipfile.ZipFile(io.BytesIO(archive)).namelist()
            report.check(f"{deployment.name}: {node_id} runs the pipeline's package ({source} at its root)",
                         configuration["CodeSha256"] == wanted and names == [source],
                         f"{configuration['CodeSha256']} != {wanted}, files {names}")


def pipeline_script(config_text):
    """The shell of the exported pipeline's CloudFormation deploy step."""
    config = yaml.safe_load(config_text)
    for name, job in (config.get("jobs") or {}).items():
        if not name.endswith("deploy-services"):
            continue
        for step in job["steps"]:
            when = step.get("when") if isinstance(step, dict) else None
            if when and when["condition"]["equal"][0] == "cloudformation":
                return when["steps"][0]["run"]["command"]
    return None


def service_state(deployment, diagram):
    """Each pipeline-owned service's count and the tags of its ECR images."""
    logical = logical_ids(diagram)
    ecs = deployment.clients("ecs")
    states = {}
    for node in diagram["nodes"]:
        kind, props = kind_of(node)
        if kind != "fargate_service" or not any("ecr" in c["image"] for c in props["containers"]):
            continue
        cluster = deployment.physical.get(logical.get(props.get("cluster", ""), ""), "default")
        service = ecs.describe_services(cluster=cluster, services=[deployment.physical[logical[node["id"]]]])["services"][0]
        definition = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])["taskDefinition"]
        tags = {c["name"]: c["image"].rsplit(":", 1)[-1] for c in definition["containerDefinitions"] if ".dkr.ecr." in c["image"]}
        states[node["id"]] = (service["desiredCount"], tags, props["desired_count"])
    return states


def pipeline_cycle(deployment, diagram, config_text, report):
    """Create (done), run the pipeline's deploy step, deploy the stack again:
    the service must run the pipeline's images at the pipeline's count."""
    name = deployment.name
    environment = dict(os.environ)
    environment.update({
        "STACK_NAME": deployment.stack,
        "AWS_ENDPOINT_URL": deployment.moto.url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": deployment.region,
        "PATH": f"{Path(sys.executable).parent}:{environment.get('PATH', '')}",
    })
    deploy_functions(deployment, diagram, config_text, environment, report)
    script = pipeline_script(config_text)
    if script is None:
        return
    step = subprocess.run(
        ["bash", "-c", script.replace("<< pipeline.git.revision >>", PIPELINE_COMMIT)],
        env=environment, capture_output=True, text=True, timeout=120,
    )
    if not report.check(f"{name}: the pipeline's deploy step runs against the stack", step.returncode == 0,
                        (step.stderr or step.stdout)[-600:]):
        return

    def owned_by_pipeline(when):
        for service, (count, tags, wanted) in service_state(deployment, diagram).items():
            report.check(
                f"{name}: {service} runs {wanted} tasks of the pipeline's images {when}",
                count == wanted and tags and all(tag == PIPELINE_COMMIT for tag in tags.values()),
                f"count {count}, tags {tags}",
            )

    owned_by_pipeline("after its deploy step")

    # moto keeps an SSM-typed parameter's resolved value (an AMI id) as its
    # previous value and then fails to resolve that as a parameter name:
    # give those parameters their path again. The pipeline's parameters are
    # never among them.
    ssm_parameters = [
        f"{key}={definition['Default']}"
        for key, definition in (deployment.template.get("Parameters") or {}).items()
        if definition.get("Type", "").startswith("AWS::SSM::Parameter::Value")
    ]
    ssm_overrides = ["--parameter-overrides", *ssm_parameters] if ssm_parameters else []

    def deploy_again(body, what):
        """`aws cloudformation deploy` of a template, overriding nothing."""
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
            json.dump(body, file)
        run = subprocess.run(
            ["aws", "cloudformation", "deploy", "--region", deployment.region, "--stack-name", deployment.stack,
             "--template-file", file.name, "--capabilities", "CAPABILITY_IAM", "CAPABILITY_NAMED_IAM",
             "--no-fail-on-empty-changeset", *ssm_overrides],
            env=environment, capture_output=True, text=True, timeout=120,
        )
        os.unlink(file.name)
        output = (run.stderr + run.stdout).strip()
        # moto refuses the change set of an unchanged stack outright, where
        # AWS makes an empty one that --no-fail-on-empty-changeset accepts.
        unchanged = "No updates are to be performed" in output
        if report.check(f"{name}: `aws cloudformation deploy` of {what}", run.returncode == 0 or unchanged, output[-600:]):
            owned_by_pipeline(f"after a deploy of {what}")

    deploy_again(deployment.body, "the same template")
    # A later change to the task definition registers a new revision: it
    # must keep the pipeline's images, not go back to a default tag.
    changed = copy.deepcopy(deployment.body)
    for resource in changed["Resources"].values():
        if resource["Type"] == "AWS::ECS::TaskDefinition":
            container = resource["Properties"]["ContainerDefinitions"][0]
            container.setdefault("Environment", []).append({"Name": "CHANGED_BY", "Value": "operator"})
    deploy_again(changed, "a template whose task definition changed")


# ------------------------------------------------------------ main


def export(binary, diagram_path, out):
    subprocess.run([binary, "export", str(diagram_path), "--to", "cloudformation-json", "--out", str(out)],
                   check=True, capture_output=True)
    subprocess.run([binary, "export", str(diagram_path), "--to", "circleci", "--out", str(out)],
                   check=True, capture_output=True)


def diagrams(binary, work):
    """Every template and fixture without validation errors."""
    listed = subprocess.run([binary, "template"], check=True, capture_output=True, text=True).stdout
    paths = []
    for line in listed.splitlines():
        name = line.split()[0]
        path = work / f"template-{name}.json"
        path.write_text(subprocess.run([binary, "template", name], check=True, capture_output=True, text=True).stdout)
        paths.append((f"template {name}", path))
    for fixture in sorted((ROOT / "tests/fixtures").glob("*.json")):
        paths.append((f"fixture {fixture.stem}", fixture))
    chosen = []
    for label, path in paths:
        if subprocess.run([binary, "validate", str(path)], capture_output=True).returncode == 0:
            chosen.append((label, path))
        else:
            print(f"skipped {label}: it has validation errors, so it is not expected to deploy")
    return chosen


def deploy_diagram(moto, binary, label, path, work, report, alter=None):
    out = work / re.sub(r"[^a-z0-9]+", "-", label.lower())
    export(binary, path, out)
    template = json.loads((out / "cloudformation.json").read_text())
    if alter:
        alter(template)
    diagram = json.loads(Path(path).read_text())
    moto.reset()
    deployment = Deployment(moto, label.replace(" ", "-"), template, diagram["region"], report)
    deployment.diagram = diagram
    if not deployment.deploy():
        return
    compare(deployment, diagram, report)
    config = out / ".circleci/config.yml"
    if config.exists() and not alter:
        pipeline_cycle(deployment, diagram, config.read_text(), report)


def the_comparison_can_fail(moto, binary, work, report):
    """A template altered behind the diagram's back must be caught."""

    def alter(template):
        resources = template["Resources"]
        subnet = next(r for r in resources.values() if r["Type"] == "AWS::EC2::Subnet")
        subnet["Properties"]["CidrBlock"] = "10.2.240.0/24"
        ingress = next(k for k, r in resources.items() if r["Type"] == "AWS::EC2::SecurityGroupIngress")
        del resources[ingress]

    caught = Report(expecting_mismatches=True)
    print("the seed, its template altered behind the diagram's back:")
    deploy_diagram(moto, binary, "template seed (altered)", ROOT / "tests/fixtures/seed.json", work, caught, alter)
    report.check("an altered template is caught (subnet block, a missing rule)", caught.failed >= 2,
                 f"{caught.failed} mismatches found")


def deploy_site_stack(moto, report):
    """deploy/cloudformation.yaml: created, its bucket policies in place."""
    template = read_template(ROOT / "deploy/cloudformation.yaml")
    moto.reset()
    deployment = Deployment(moto, "deploy-site", template, "us-east-1", report)
    if not deployment.deploy():
        return
    s3 = deployment.clients("s3")
    for name, resource in template["Resources"].items():
        if resource["Type"] != "AWS::S3::BucketPolicy":
            continue
        props = deployment.resolver.resolve(resource["Properties"])
        policy = json.loads(s3.get_bucket_policy(Bucket=props["Bucket"])["Policy"])
        report.check(f"deploy-site: {name} as written", policy == props["PolicyDocument"],
                     json.dumps(policy)[:300])
    site = deployment.physical["SiteBucket"]
    logging = s3.get_bucket_logging(Bucket=site).get("LoggingEnabled")
    if logging is None:
        report.note_unchecked("S3 LoggingConfiguration (moto ignores it; the log bucket's policy is checked)")
    else:
        report.check("deploy-site: the site bucket logs to the log bucket",
                     logging["TargetBucket"] == deployment.physical["LogBucket"], str(logging))


def crash_detail():
    """Where in this stage it broke, and the error, without botocore's frames."""
    error = sys.exc_info()[1]
    frames = [f for f in traceback.extract_tb(sys.exc_info()[2]) if f.filename == __file__]
    where = f"line {frames[-1].lineno} ({frames[-1].line})" if frames else "?"
    return f"{type(error).__name__} at {where}: {str(error)[:400]}"


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    binary = sys.argv[1]
    started = time.time()
    report = Report()
    with tempfile.TemporaryDirectory() as scratch, Moto() as moto:
        work = Path(scratch)
        print(f"moto_server on {moto.url}")
        for label, path in diagrams(binary, work):
            print(f"{label}:")
            try:
                deploy_diagram(moto, binary, label, path, work, report)
            except Exception:  # noqa: BLE001 - a crash is a failed check, with its trace
                report.check(f"{label}: the stage itself", False, crash_detail())
        print("deploy/cloudformation.yaml:")
        try:
            deploy_site_stack(moto, report)
        except Exception:  # noqa: BLE001
            report.check("deploy-site: the stage itself", False, crash_detail())
        try:
            the_comparison_can_fail(moto, binary, work, report)
        except Exception:  # noqa: BLE001
            report.check("the altered template: the stage itself", False, crash_detail())
    print("\nunchecked (what the emulator cannot show; see docs/emulator.md):")
    for item in report.unchecked:
        print(f"  - {item}")
    print(f"\nemulator stage took {time.time() - started:.1f} s (budget 180 s)")
    print(f"emulator: {report.passed} passed, {report.failed} failed")
    return 0 if report.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
