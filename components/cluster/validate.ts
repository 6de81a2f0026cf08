/**
 * Checks of the cluster's settings, shared by the component (which fails with a
 * ResourceError) and config/ (which names the stack file and key). Each function takes
 * the path to print and returns "path: got X; expected Y" lines, empty when all is well.
 */
import { LOG_RETENTION_DAYS } from "../network/args";
import { PRIVATE_RANGES, cidrProblem, isPrivateRange, parseCidr } from "../network/cidr";
import { AddonVersionArgs, AmiType, ApplicationNamespaceArgs, CapacityType, NodeGroupArgs, SupportType, TaintEffect } from "./args";
import { SUPPORTED_KUBERNETES_VERSIONS } from "./versions";
import { got } from "../shared/problems";

/** The label every node carries with its group's name; set by the component, not by config. */
export const NODE_GROUP_LABEL = "platform/node-group";
/** EKS's limit of nodes in one managed node group. */
const MAX_NODES_PER_GROUP = 450;
/** Smallest root volume the AL2023 EKS images boot from. */
const MIN_DISK_GIB = 20;
const MAX_DISK_GIB = 16384;
/** Narrowest allow list a public endpoint takes: wider ranges are "the internet" in practice. */
const MIN_PUBLIC_ACCESS_PREFIX = 16;
/** Node group names end up in the EKS node group name after the cluster's name (63 characters in all). */
const MAX_NODE_GROUP_NAME = 20;

/** A Kubernetes object name of the DNS-label kind (namespaces, service accounts). */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const QUANTITY = /^(\d+(\.\d+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const INSTANCE_TYPE = /^([a-z]+)(\d+)([a-z-]*)\.([a-z0-9]+)$/;
const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const ADDON_VERSION = /^v(\d+)\.(\d+)\.(\d+)-eksbuild\.\d+$/;
/** A qualified name as Kubernetes label keys and taint keys allow: optional DNS prefix, then a name. */
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** Namespaces Kubernetes and EKS own; applications never get them. */
const RESERVED_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

function isReservedNamespace(name: string): boolean {
    return RESERVED_NAMESPACES.includes(name) || name.startsWith("kube-");
}

function oneOf(values: readonly unknown[]): string {
    return values.map((v) => JSON.stringify(v)).join(", ");
}

/** True when instances of this type run on Graviton (arm64): a "g" after the generation digit. */
export function isArmInstanceType(instanceType: string): boolean {
    const match = INSTANCE_TYPE.exec(instanceType);
    return match !== null && match[3].includes("g");
}

/** A Kubernetes quantity in base units (cores, bytes), or undefined when malformed. */
export function parseQuantity(quantity: string): number | undefined {
    const match = QUANTITY.exec(quantity);
    if (!match) {
        return undefined;
    }
    const scale: Record<string, number> = {
        m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
        Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
    };
    return Number(match[1]) * (match[3] ? scale[match[3]] : 1);
}

export function kubernetesVersionProblems(version: string, path: string): string[] {
    return SUPPORTED_KUBERNETES_VERSIONS.includes(version)
        ? []
        : [`${path}: got ${got(version)}; expected one of ${oneOf(SUPPORTED_KUBERNETES_VERSIONS)} (the versions this platform's add-on and chart pins are tested with)`];
}

export function addonVersionProblems(versions: AddonVersionArgs, kubernetesVersion: string, path: string): string[] {
    const problems: string[] = [];
    for (const [addon, version] of Object.entries(versions) as Array<[string, string]>) {
        if (!ADDON_VERSION.test(version)) {
            problems.push(`${path}.${addon}: got ${got(version)}; expected an EKS add-on version such as "v1.2.3-eksbuild.1"`);
        }
    }
    // Against an unsupported version the mismatch says nothing new: that version is the problem.
    const kubeProxy = SUPPORTED_KUBERNETES_VERSIONS.includes(kubernetesVersion) ? ADDON_VERSION.exec(versions.kubeProxy) : null;
    if (kubeProxy && `${kubeProxy[1]}.${kubeProxy[2]}` !== kubernetesVersion) {
        problems.push(`${path}.kubeProxy: got ${got(versions.kubeProxy)}; expected a v${kubernetesVersion}.x build, to match the cluster's Kubernetes version`);
    }
    return problems;
}

export function publicAccessCidrProblems(cidrs: readonly string[], path: string): string[] {
    return cidrs.flatMap((cidr, i) => {
        const at = `${path}[${i}]`;
        const problem = cidrProblem(cidr);
        if (problem) {
            return [`${at}: got ${got(cidr)}; ${problem}`];
        }
        const parsed = parseCidr(cidr);
        if (parsed.prefix < MIN_PUBLIC_ACCESS_PREFIX) {
            return [`${at}: got ${got(cidr)}; expected a range of /${MIN_PUBLIC_ACCESS_PREFIX} or narrower (the API server is not for the whole internet)`];
        }
        if (isPrivateRange(parsed)) {
            return [`${at}: got ${got(cidr)}; expected a public range: the public endpoint never sees private addresses (in-VPC clients use the private endpoint)`];
        }
        return [];
    });
}

/**
 * The Kubernetes service range EKS is given. Fixed, because left unset EKS picks 10.100.0.0/16
 * or 172.20.0.0/16 by the VPC's range, and a change replaces the cluster. Outside every VPC
 * range the profiles use.
 */
export const DEFAULT_SERVICE_IPV4_CIDR = "172.20.0.0/16";
/** What EKS accepts as the service range (CreateCluster, KubernetesNetworkConfigRequest): a private /12 to /24. */
const SERVICE_CIDR_PREFIXES = { widest: 12, narrowest: 24 };

export function serviceCidrProblems(cidr: string, path: string): string[] {
    const problem = cidrProblem(cidr);
    if (problem) {
        return [`${path}: got ${got(cidr)}; ${problem}`];
    }
    const parsed = parseCidr(cidr);
    if (parsed.prefix < SERVICE_CIDR_PREFIXES.widest || parsed.prefix > SERVICE_CIDR_PREFIXES.narrowest) {
        return [`${path}: got ${got(cidr)}; expected a /${SERVICE_CIDR_PREFIXES.widest} to /${SERVICE_CIDR_PREFIXES.narrowest}, as EKS requires of the service range`];
    }
    if (!isPrivateRange(parsed)) {
        return [`${path}: got ${got(cidr)}; expected a range inside ${PRIVATE_RANGES.join(", ")}, as EKS requires of the service range`];
    }
    return [];
}

export function adminRoleArnProblems(arns: readonly string[], path: string): string[] {
    return arns.flatMap((arn, i) =>
        ROLE_ARN.test(arn) ? [] : [`${path}[${i}]: got ${got(arn)}; expected an IAM role ARN such as "arn:aws:iam::123456789012:role/platform-admin"`],
    );
}

export function logRetentionProblems(days: number, path: string): string[] {
    return LOG_RETENTION_DAYS.includes(days) ? [] : [`${path}: got ${got(days)}; expected a retention CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(", ")}`];
}

export function supportTypeProblems(supportType: SupportType, path: string): string[] {
    return Object.values(SupportType).includes(supportType) ? [] : [`${path}: got ${got(supportType)}; expected one of ${oneOf(Object.values(SupportType))}`];
}

/** Problems of one node group; `path` names it. */
export function nodeGroupProblems(group: NodeGroupArgs, path: string): string[] {
    const problems: string[] = [];
    const add = (key: string, message: string) => problems.push(`${path}.${key}: ${message}`);
    if (!DNS_LABEL.test(group.name) || group.name.length > MAX_NODE_GROUP_NAME) {
        problems.push(`${path}: node group name ${got(group.name)} is not lower-case letters, digits and "-", at most ${MAX_NODE_GROUP_NAME} characters`);
    }
    const amiType = group.amiType ?? AmiType.Al2023X86;
    if (!Object.values(AmiType).includes(amiType)) {
        add("amiType", `got ${got(amiType)}; expected one of ${oneOf(Object.values(AmiType))}`);
    }
    const capacityType = group.capacityType ?? CapacityType.OnDemand;
    if (!Object.values(CapacityType).includes(capacityType)) {
        add("capacityType", `got ${got(capacityType)}; expected one of ${oneOf(Object.values(CapacityType))}`);
    }
    if (group.instanceTypes.length === 0) {
        add("instanceTypes", "got an empty list; expected at least one instance type");
    }
    group.instanceTypes.forEach((type, i) => {
        if (!INSTANCE_TYPE.test(type)) {
            add(`instanceTypes[${i}]`, `got ${got(type)}; expected an EC2 instance type such as "m6i.large"`);
        } else if (isArmInstanceType(type) !== (amiType === AmiType.Al2023Arm)) {
            const arch = isArmInstanceType(type) ? "arm64 (Graviton)" : "x86_64";
            add(`instanceTypes[${i}]`, `got ${got(type)}, an ${arch} type; expected types matching amiType ${amiType}`);
        }
    });
    if (new Set(group.instanceTypes).size !== group.instanceTypes.length) {
        add("instanceTypes", `got ${got(group.instanceTypes)}; expected each type once`);
    }
    for (const key of ["minSize", "maxSize", "desiredSize"] as const) {
        if (!Number.isInteger(group[key]) || group[key] < 0 || group[key] > MAX_NODES_PER_GROUP) {
            add(key, `got ${got(group[key])}; expected an integer 0-${MAX_NODES_PER_GROUP}`);
        }
    }
    if (group.maxSize < 1) {
        add("maxSize", `got ${got(group.maxSize)}; expected at least 1`);
    }
    if (group.minSize > group.maxSize) {
        add("minSize", `got ${got(group.minSize)}; expected at most maxSize (${group.maxSize})`);
    }
    if (group.desiredSize < group.minSize || group.desiredSize > group.maxSize) {
        add("desiredSize", `got ${got(group.desiredSize)}; expected between minSize (${group.minSize}) and maxSize (${group.maxSize})`);
    }
    const disk = group.diskSizeGiB;
    if (disk !== undefined && (!Number.isInteger(disk) || disk < MIN_DISK_GIB || disk > MAX_DISK_GIB)) {
        add("diskSizeGiB", `got ${got(disk)}; expected an integer ${MIN_DISK_GIB}-${MAX_DISK_GIB}`);
    }
    const unavailable = group.maxUnavailablePercent;
    if (unavailable !== undefined && (!Number.isInteger(unavailable) || unavailable < 1 || unavailable > 100)) {
        add("maxUnavailablePercent", `got ${got(unavailable)}; expected an integer 1-100`);
    }
    for (const [key, value] of Object.entries(group.labels ?? {})) {
        if (key === NODE_GROUP_LABEL) {
            add(`labels.${key}`, `is set by the platform to the group's name; remove it`);
        } else if (!LABEL_KEY.test(key) || !LABEL_VALUE.test(value)) {
            add(`labels.${key}`, `got ${got(value)}; expected a Kubernetes label (key: [prefix/]name, value: 63 characters of letters, digits, "-_.")`);
        }
    }
    (group.taints ?? []).forEach((taint, i) => {
        if (!LABEL_KEY.test(taint.key) || !LABEL_VALUE.test(taint.value)) {
            add(`taints[${i}]`, `got ${got(taint)}; expected a Kubernetes taint key and value`);
        }
        if (!Object.values(TaintEffect).includes(taint.effect)) {
            add(`taints[${i}].effect`, `got ${got(taint.effect)}; expected one of ${oneOf(Object.values(TaintEffect))}`);
        }
    });
    return problems;
}

/** Problems across node groups: unique names, and somewhere for untolerating pods to run. */
export function nodeGroupSetProblems(groups: readonly NodeGroupArgs[], path: string): string[] {
    const problems: string[] = [];
    const names = groups.map((g) => g.name);
    const repeated = names.filter((n, i) => names.indexOf(n) !== i);
    if (repeated.length > 0) {
        problems.push(`${path}: node group names ${oneOf([...new Set(repeated)])} appear more than once; expected unique names`);
    }
    const repelling = (g: NodeGroupArgs) => (g.taints ?? []).some((t) => t.effect !== TaintEffect.PreferNoSchedule);
    if (groups.length === 0) {
        problems.push(`${path}: got no node groups; expected at least one`);
    } else if (groups.every(repelling)) {
        problems.push(`${path}: every node group has a NoSchedule or NoExecute taint; expected one group that takes ordinary pods`);
    }
    return problems;
}

/** Problems of the application namespaces; `path(i, name)` names the i-th. */
export function namespaceProblems(
    namespaces: readonly ApplicationNamespaceArgs[],
    nodeAgentNamespace: string,
    path: (index: number, name: string) => string,
    nodeAgentPath: string,
): string[] {
    const problems: string[] = [];
    namespaces.forEach((ns, i) => {
        const at = path(i, ns.name);
        if (!DNS_LABEL.test(ns.name)) {
            problems.push(`${at}: namespace name ${got(ns.name)} is not a DNS label (lower-case letters, digits, "-", 63 characters)`);
        } else if (isReservedNamespace(ns.name) || ns.name === nodeAgentNamespace) {
            problems.push(`${at}: namespace name ${got(ns.name)} is reserved (Kubernetes' own, or the node-agent namespace)`);
        }
        if (namespaces.findIndex((other) => other.name === ns.name) !== i) {
            problems.push(`${at}: namespace ${got(ns.name)} appears more than once`);
        }
        for (const [key, value] of Object.entries(ns.quota) as Array<[string, string | number]>) {
            if (typeof value === "number") {
                if (!Number.isInteger(value) || value < 0) {
                    problems.push(`${at}.quota.${key}: got ${got(value)}; expected a whole number, 0 or more`);
                }
            } else if (parseQuantity(value) === undefined) {
                problems.push(`${at}.quota.${key}: got ${got(value)}; expected a Kubernetes quantity such as "4", "500m" or "8Gi"`);
            }
        }
        const limits = ns.limits;
        const amounts = Object.fromEntries((Object.entries(limits) as Array<[string, string]>).map(([key, value]) => [key, parseQuantity(value)]));
        for (const [key, amount] of Object.entries(amounts)) {
            if (amount === undefined) {
                problems.push(`${at}.limits.${key}: got ${got(limits[key as keyof typeof limits])}; expected a Kubernetes quantity such as "500m" or "512Mi"`);
            }
        }
        const ordered = (low: keyof typeof limits, high: keyof typeof limits) => {
            const [a, b] = [amounts[low], amounts[high]];
            if (a !== undefined && b !== undefined && a > b) {
                problems.push(`${at}.limits.${low}: got ${got(limits[low])}; expected at most ${high} (${limits[high]})`);
            }
        };
        ordered("defaultRequestCpu", "defaultLimitCpu");
        ordered("defaultLimitCpu", "maxCpu");
        ordered("defaultRequestMemory", "defaultLimitMemory");
        ordered("defaultLimitMemory", "maxMemory");
    });
    if (!DNS_LABEL.test(nodeAgentNamespace) || isReservedNamespace(nodeAgentNamespace)) {
        problems.push(`${nodeAgentPath}: got ${got(nodeAgentNamespace)}; expected a DNS label that is not Kubernetes' own (${oneOf(RESERVED_NAMESPACES)}, kube-*)`);
    }
    return problems;
}
