/**
 * What the offline engine answers in place of AWS: realistic ids, ARNs and names for the
 * resources the program registers, and canned answers for every data source it calls.
 * A data source without an answer here fails the synth loudly rather than returning nothing.
 */
import { createHash } from "node:crypto";
import type { MockCallArgs, MockResourceArgs, MockResourceResult, Mocks } from "@pulumi/pulumi/runtime";

const MOCK_ACCOUNT_ID = "123456789012";
const MOCK_PARTITION = "aws";

/** Standard availability zones per region (the same table config/ validates against). */
type ZoneCounts = Readonly<Record<string, number>>;

interface IdStyle {
    /** Id prefix AWS uses for the resource, e.g. "vpc-". */
    prefix: string;
    /** ARN resource part after the account, given the id. */
    arn?: (id: string) => string;
}

/** Resources whose id AWS generates with a typed prefix. */
const GENERATED_IDS: Readonly<Record<string, IdStyle>> = {
    "aws:ec2/vpc:Vpc": { prefix: "vpc-", arn: (id) => `vpc/${id}` },
    "aws:ec2/subnet:Subnet": { prefix: "subnet-", arn: (id) => `subnet/${id}` },
    "aws:ec2/securityGroup:SecurityGroup": { prefix: "sg-", arn: (id) => `security-group/${id}` },
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": { prefix: "sg-", arn: (id) => `security-group/${id}` },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": { prefix: "sgr-", arn: (id) => `security-group-rule/${id}` },
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": { prefix: "sgr-", arn: (id) => `security-group-rule/${id}` },
    "aws:ec2/routeTable:RouteTable": { prefix: "rtb-", arn: (id) => `route-table/${id}` },
    "aws:ec2/routeTableAssociation:RouteTableAssociation": { prefix: "rtbassoc-" },
    "aws:ec2/route:Route": { prefix: "r-rtb-" },
    "aws:ec2/internetGateway:InternetGateway": { prefix: "igw-", arn: (id) => `internet-gateway/${id}` },
    "aws:ec2/natGateway:NatGateway": { prefix: "nat-", arn: (id) => `natgateway/${id}` },
    "aws:ec2/eip:Eip": { prefix: "eipalloc-", arn: (id) => `elastic-ip/${id}` },
    "aws:ec2/vpcEndpoint:VpcEndpoint": { prefix: "vpce-", arn: (id) => `vpc-endpoint/${id}` },
    "aws:ec2/networkAcl:NetworkAcl": { prefix: "acl-", arn: (id) => `network-acl/${id}` },
    "aws:ec2/flowLog:FlowLog": { prefix: "fl-", arn: (id) => `vpc-flow-log/${id}` },
    "aws:ec2/launchTemplate:LaunchTemplate": { prefix: "lt-", arn: (id) => `launch-template/${id}` },
};

/** Resources whose `name` is their identity: set by the program, or auto-named by the engine. */
const NAMED: Readonly<Record<string, (name: string, region: string) => string>> = {
    "aws:cloudwatch/logGroup:LogGroup": (name, region) => `arn:aws:logs:${region}:${MOCK_ACCOUNT_ID}:log-group:${name}`,
    "aws:iam/role:Role": (name) => `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${name}`,
    "aws:iam/policy:Policy": (name) => `arn:aws:iam::${MOCK_ACCOUNT_ID}:policy/${name}`,
    "aws:rds/subnetGroup:SubnetGroup": (name, region) => `arn:aws:rds:${region}:${MOCK_ACCOUNT_ID}:subgrp:${name}`,
    "aws:rds/parameterGroup:ParameterGroup": (name, region) => `arn:aws:rds:${region}:${MOCK_ACCOUNT_ID}:pg:${name}`,
    "aws:elasticache/subnetGroup:SubnetGroup": (name, region) => `arn:aws:elasticache:${region}:${MOCK_ACCOUNT_ID}:subnetgroup:${name}`,
    "aws:kms/alias:Alias": (name, region) => `arn:aws:kms:${region}:${MOCK_ACCOUNT_ID}:${name}`,
    "aws:sns/topic:Topic": (name, region) => `arn:aws:sns:${region}:${MOCK_ACCOUNT_ID}:${name}`,
};

/** Names AWS requires in lower case. */
const LOWER_CASE_NAMES = new Set([
    "aws:rds/subnetGroup:SubnetGroup",
    "aws:rds/parameterGroup:ParameterGroup",
    "aws:elasticache/subnetGroup:SubnetGroup",
    "aws:s3/bucketV2:BucketV2",
    "aws:s3/bucket:Bucket",
]);

function hex(seed: string, length: number): string {
    return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

/** The engine's auto-name: the logical name and seven hex characters. */
function autoName(type: string, name: string): string {
    const generated = `${name}-${hex(`${type}::${name}`, 7)}`;
    return LOWER_CASE_NAMES.has(type) ? generated.toLowerCase() : generated;
}

export function awsMocks(region: string, zoneCounts: ZoneCounts): Mocks {
    // A resource or call made through an explicit provider (the DR region's) answers in that provider's region.
    const providerRegions = new Map<string, string>();
    const regionOf = (provider: string | undefined) => (provider === undefined ? region : providerRegions.get(provider.split("::").pop() ?? "") ?? region);
    return {
        newResource: (args: MockResourceArgs): MockResourceResult => {
            const result = mockResource(args, regionOf(args.provider));
            const providerRegion = (args.inputs as Record<string, unknown>).region;
            if (args.type === "pulumi:providers:aws" && typeof providerRegion === "string" && result.id !== undefined) {
                providerRegions.set(result.id, providerRegion);
            }
            return result;
        },
        call: (args: MockCallArgs) => mockCall(args, regionOf(args.provider), zoneCounts),
    };
}

function mockResource(args: MockResourceArgs, region: string): MockResourceResult {
    const inputs = args.inputs as Record<string, unknown>;
    if (args.custom === false || args.type.startsWith("pulumi:providers:")) {
        return { id: args.custom === false ? undefined : `${args.name}-provider`, state: inputs };
    }
    const seed = `${args.type}::${args.name}`;
    const [pkg, module] = args.type.split(":");
    const service = (module ?? "").split("/")[0];
    const state: Record<string, unknown> = { ...inputs };
    if (inputs.tags !== undefined) {
        state.tagsAll = inputs.tags;
    }

    const generated = GENERATED_IDS[args.type];
    if (generated) {
        const id = `${generated.prefix}${hex(seed, 17)}`;
        if (generated.arn) {
            state.arn = `arn:aws:${service}:${region}:${MOCK_ACCOUNT_ID}:${generated.arn(id)}`;
        }
        Object.assign(state, typeSpecificOutputs(args.type, id, seed, region));
        return { id, state };
    }

    if (args.type === "aws:s3/bucket:Bucket" || args.type === "aws:s3/bucketV2:BucketV2") {
        // A bucket's name is its `bucket` input, or the engine's lower-case auto-name.
        const bucketName = (inputs.bucket as string | undefined) ?? autoName(args.type, args.name);
        const regional = `${bucketName}.s3.${region}.amazonaws.com`;
        return { id: bucketName, state: { ...state, bucket: bucketName, arn: `arn:aws:s3:::${bucketName}`, bucketRegionalDomainName: regional, region } };
    }
    const named = NAMED[args.type];
    if (named) {
        const name = (inputs.name as string | undefined) ?? autoName(args.type, args.name);
        return { id: name, state: { ...state, name, arn: named(name, region) } };
    }

    if (args.type === "aws:kms/key:Key") {
        const keyId = `${hex(seed, 8)}-${hex(seed + "1", 4)}-${hex(seed + "2", 4)}-${hex(seed + "3", 4)}-${hex(seed + "4", 12)}`;
        return { id: keyId, state: { ...state, keyId, arn: `arn:aws:kms:${region}:${MOCK_ACCOUNT_ID}:key/${keyId}` } };
    }
    if (args.type === "aws:eks/cluster:Cluster") {
        const clusterName = typeof inputs.name === "string" ? inputs.name : args.name;
        return { id: clusterName, state: { ...state, ...eksClusterOutputs(clusterName, seed, region) } };
    }
    if (args.type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider") {
        const url = String(inputs.url).replace(/^https:\/\//, "");
        const arn = `arn:aws:iam::${MOCK_ACCOUNT_ID}:oidc-provider/${url}`;
        return { id: arn, state: { ...state, arn } };
    }
    if (args.type === "aws:eks/accessEntry:AccessEntry") {
        return { id: `${String(inputs.clusterName)}:${String(inputs.principalArn)}`, state: { ...state, accessEntryArn: `arn:aws:eks:${region}:${MOCK_ACCOUNT_ID}:access-entry/${String(inputs.clusterName)}/${hex(seed, 8)}` } };
    }
    if (args.type === "aws:rds/instance:Instance") {
        const identifier = (inputs.identifier as string | undefined) ?? autoName(args.type, args.name);
        return { id: identifier, state: { ...state, ...rdsInstanceOutputs(identifier, inputs, seed, region) } };
    }
    if (args.type === "aws:elasticache/replicationGroup:ReplicationGroup") {
        const groupId = (inputs.replicationGroupId as string | undefined) ?? autoName(args.type, args.name).toLowerCase();
        const host = `${groupId}.${hex(seed, 6)}.${shortRegion(region)}.cache.amazonaws.com`;
        return {
            id: groupId,
            state: {
                ...state,
                replicationGroupId: groupId,
                arn: `arn:aws:elasticache:${region}:${MOCK_ACCOUNT_ID}:replicationgroup:${groupId}`,
                // With TLS, ElastiCache names the endpoints "master." and "replica." under the group's host.
                primaryEndpointAddress: `master.${host}`,
                readerEndpointAddress: `replica.${host}`,
            },
        };
    }
    if (args.type === "aws:secretsmanager/secret:Secret") {
        const secretName = (inputs.name as string | undefined) ?? autoName(args.type, args.name);
        // Secrets Manager appends six random characters to a secret's name in its ARN.
        const arn = `arn:aws:secretsmanager:${region}:${MOCK_ACCOUNT_ID}:secret:${secretName}-${hex(seed + "arn", 6)}`;
        return { id: arn, state: { ...state, name: secretName, arn } };
    }
    if (args.type === "aws:backup/vault:Vault") {
        const vaultName = (inputs.name as string | undefined) ?? autoName(args.type, args.name);
        return { id: vaultName, state: { ...state, name: vaultName, arn: `arn:aws:backup:${region}:${MOCK_ACCOUNT_ID}:backup-vault:${vaultName}` } };
    }
    if (args.type === "random:index/randomPassword:RandomPassword") {
        // A recognizable fake, so a test can prove it never appears in the clear.
        const result = `offline-plan-password-${hex(seed, 24)}`.slice(0, Number(inputs.length ?? 32));
        return { id: "none", state: { ...state, result, bcryptHash: "[offline]" } };
    }
    if (args.type === "aws:iam/rolePolicy:RolePolicy") {
        const name = (inputs.name as string | undefined) ?? autoName(args.type, args.name);
        return { id: `${String(inputs.role)}:${name}`, state: { ...state, name } };
    }

    // Anything else: a stable id, and an ARN in the usual shape for AWS types.
    const id = `${args.name}-${hex(seed, 8)}`;
    if (pkg === "aws") {
        state.arn = state.arn ?? `arn:aws:${service}:${region}:${MOCK_ACCOUNT_ID}:${args.type.split(":")[2]?.toLowerCase()}/${id}`;
    }
    return { id, state };
}

function typeSpecificOutputs(type: string, id: string, seed: string, region: string): Record<string, unknown> {
    switch (type) {
        case "aws:ec2/vpc:Vpc":
            return {
                ownerId: MOCK_ACCOUNT_ID,
                defaultSecurityGroupId: `sg-${hex(seed + "default-sg", 17)}`,
                defaultNetworkAclId: `acl-${hex(seed + "default-acl", 17)}`,
                mainRouteTableId: `rtb-${hex(seed + "main", 17)}`,
            };
        case "aws:ec2/eip:Eip": {
            const octet = parseInt(hex(seed, 2), 16) % 254 + 1;
            // 203.0.113.0/24 is reserved for documentation (RFC 5737): never a real address.
            return { allocationId: id, publicIp: `203.0.113.${octet}`, domain: "vpc" };
        }
        case "aws:ec2/natGateway:NatGateway":
            return { networkInterfaceId: `eni-${hex(seed, 17)}`, privateIp: "10.0.0.10" };
        case "aws:ec2/launchTemplate:LaunchTemplate":
            return { latestVersion: 1, defaultVersion: 1 };
        case "aws:ec2/vpcEndpoint:VpcEndpoint":
            return { prefixListId: `pl-${hex(seed, 8)}`, dnsEntries: [{ dnsName: `${id}.${region}.vpce.amazonaws.com`, hostedZoneId: "Z7HUB22UULQXV" }] };
        default:
            return {};
    }
}

/** A region's short form in service host names: us-east-1 -> use1. */
function shortRegion(region: string): string {
    return region.replace(/^(\w+)-(\w)\w*-(\d+)$/, "$1$2$3");
}

/** What RDS reports for a new instance: its endpoint, resource id and, when RDS manages the password, the secret. */
function rdsInstanceOutputs(identifier: string, inputs: Record<string, unknown>, seed: string, region: string): Record<string, unknown> {
    const address = `${identifier}.c${hex(seed + "host", 11)}.${region}.rds.amazonaws.com`;
    const port = (inputs.port as number | undefined) ?? 5432;
    const resourceId = `db-${hex(seed + "resource", 26).toUpperCase()}`;
    const masterUserSecrets = inputs.manageMasterUserPassword === true
        ? [{ secretArn: `arn:aws:secretsmanager:${region}:${MOCK_ACCOUNT_ID}:secret:rds!${resourceId.toLowerCase()}-${hex(seed + "secret", 6)}`, kmsKeyId: inputs.masterUserSecretKmsKeyId, secretStatus: "active" }]
        : [];
    return {
        identifier,
        arn: `arn:aws:rds:${region}:${MOCK_ACCOUNT_ID}:db:${identifier}`,
        address,
        endpoint: `${address}:${port}`,
        port,
        resourceId,
        masterUserSecrets,
    };
}

/** What EKS reports for a new cluster: endpoint, CA, OIDC issuer and its own security group. */
function eksClusterOutputs(clusterName: string, seed: string, region: string): Record<string, unknown> {
    const oidcId = hex(seed + "oidc", 32).toUpperCase();
    return {
        name: clusterName,
        arn: `arn:aws:eks:${region}:${MOCK_ACCOUNT_ID}:cluster/${clusterName}`,
        endpoint: `https://${oidcId}.gr7.${region}.eks.amazonaws.com`,
        // Base64 of a fixed marker, not a certificate: nothing can connect with it by mistake.
        certificateAuthority: { data: Buffer.from(`offline-plan certificate authority of ${clusterName}`).toString("base64") },
        identities: [{ oidcs: [{ issuer: `https://oidc.eks.${region}.amazonaws.com/id/${oidcId}` }] }],
        platformVersion: "eks.1",
        status: "ACTIVE",
        vpcConfig: { clusterSecurityGroupId: `sg-${hex(seed + "cluster-sg", 17)}`, vpcId: `vpc-${hex(seed + "vpc", 17)}` },
    };
}

function mockCall(args: MockCallArgs, region: string, zoneCounts: ZoneCounts): Record<string, unknown> {
    switch (args.token) {
        case "aws:index/getAvailabilityZones:getAvailabilityZones": {
            const count = zoneCounts[region] ?? 3;
            const letters = "abcdefghijklmnopqrstuvwxyz".slice(0, count).split("");
            const shortRegion = region.replace(/-(\w)\w*-/, (_, first: string) => first).replace(/-/g, "");
            // Zone <n> has ID <short>-az<n> here (accounts differ); excluded IDs are left out, as EC2 does.
            const excluded = ((args.inputs as { excludeZoneIds?: string[] }).excludeZoneIds ?? []);
            const zones = letters.map((letter, i) => ({ name: `${region}${letter}`, id: `${shortRegion}-az${i + 1}` })).filter((zone) => !excluded.includes(zone.id));
            return {
                id: region,
                region,
                names: zones.map((zone) => zone.name),
                zoneIds: zones.map((zone) => zone.id),
                groupNames: zones.map(() => region),
            };
        }
        case "aws:index/getRegion:getRegion":
            return { id: region, name: region, region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return {
                id: MOCK_ACCOUNT_ID,
                accountId: MOCK_ACCOUNT_ID,
                // Tests stand in another deployer (an assumed role, say) through this variable.
                arn: process.env.PLATFORM_OFFLINE_CALLER_ARN ?? `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/offline-plan`,
                userId: "AIDAOFFLINEPLAN0000000",
            };
        case "aws:index/getPartition:getPartition":
            return { id: MOCK_PARTITION, partition: MOCK_PARTITION, dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
        case "aws:iam/getSessionContext:getSessionContext": {
            // An assumed-role session resolves to its role; any other identity is its own issuer.
            const arn = String((args.inputs as Record<string, unknown>).arn);
            const session = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(arn);
            return session
                ? { id: arn, arn, issuerArn: `arn:aws:iam::${session[1]}:role/${session[2]}`, issuerName: session[2], sessionName: session[3], issuerId: "AROAOFFLINEPLAN000000" }
                : { id: arn, arn, issuerArn: arn, issuerName: arn.split("/").pop(), sessionName: "", issuerId: "" };
        }
        default:
            throw new Error(`the offline engine has no mock for data source ${args.token}: add one to tools/mocks.ts`);
    }
}
