/** `platform:network`: the VPC, its zones, NAT and endpoints. */
import { z } from "zod";
import { LOG_RETENTION_DAYS, NatMode } from "../components/network/args";
import {
    MAX_AVAILABILITY_ZONES,
    MAX_VPC_PREFIX,
    MIN_AVAILABILITY_ZONES,
    MIN_VPC_PREFIX,
    PRIVATE_RANGES,
    cidrProblem,
    isPrivateRange,
    parseCidr,
} from "../components/network/cidr";
import { byEnvironment } from "./environment";

export interface NetworkConfig {
    /** VPC CIDR: private range, /16 to /20; never changed once deployed. */
    cidrBlock: string;
    availabilityZoneCount: number;
    natMode: NatMode;
    flowLogRetentionDays: number;
    interfaceEndpoints: boolean;
}

export const networkSchema = z.strictObject({
    cidrBlock: z
        .string()
        .superRefine((value, ctx) => {
            const problem = cidrProblem(value);
            if (problem) {
                ctx.addIssue({ code: "custom", message: `${problem}; expected e.g. "10.30.0.0/16"` });
                return;
            }
            const cidr = parseCidr(value);
            if (cidr.prefix < MIN_VPC_PREFIX || cidr.prefix > MAX_VPC_PREFIX) {
                ctx.addIssue({ code: "custom", message: `expected a prefix length of /${MIN_VPC_PREFIX} to /${MAX_VPC_PREFIX}` });
            } else if (!isPrivateRange(cidr)) {
                ctx.addIssue({ code: "custom", message: `expected a private range inside ${PRIVATE_RANGES.join(", ")}` });
            }
        })
        .describe("The VPC's IPv4 range: a private /16 to /20, split into public, private and isolated subnets per zone. Changing it replaces the VPC."),
    availabilityZoneCount: z
        .int()
        .min(MIN_AVAILABILITY_ZONES)
        .max(MAX_AVAILABILITY_ZONES)
        .describe("How many availability zones the subnets, nodes and databases spread over; at most the zones of the region that EKS supports."),
    natMode: z
        .enum(NatMode)
        .describe("Egress from private subnets: `perAz` (a NAT gateway per zone) or `single` (one, cheaper; its zone's failure cuts egress). `none` is refused: the add-ons' images and APIs need the internet."),
    flowLogRetentionDays: z
        .int()
        .refine((days) => LOG_RETENTION_DAYS.includes(days), { message: `expected a retention CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(", ")}` })
        .describe("Days CloudWatch Logs keeps the VPC flow logs; one of the retentions CloudWatch accepts."),
    interfaceEndpoints: z
        .boolean()
        .describe("VPC interface endpoints for the AWS APIs the nodes and add-ons call, so that traffic stays off the NAT gateways and the internet."),
}).describe("The VPC: public, private and isolated subnets in each zone, NAT, endpoints and flow logs.");

export const NETWORK_PROFILES = byEnvironment<NetworkConfig>(
    { cidrBlock: "10.10.0.0/16", availabilityZoneCount: 3, natMode: NatMode.Single, flowLogRetentionDays: 90, interfaceEndpoints: false },
    {
        dev: { cidrBlock: "10.10.0.0/16", availabilityZoneCount: 2, flowLogRetentionDays: 30 },
        staging: { cidrBlock: "10.20.0.0/16" },
        // Three zones, a NAT gateway per zone, endpoints and a year of flow logs.
        prod: { cidrBlock: "10.30.0.0/16", natMode: NatMode.PerAz, flowLogRetentionDays: 365, interfaceEndpoints: true },
    },
);
