// What AWS and EKS would refuse, or what could never run, refused before any resource exists:
// each rule with the message it prints (config/feasibility.ts, config/privateNetwork.ts).
import * as assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { loadStackConfig } from "../config";
import { ENDPOINTS_NEEDED, privateNetworkProblems } from "../config/privateNetwork";
import { HELM_CHARTS } from "../components/cluster/versions";
import { VELERO_CHART } from "../components/backup/versions";
import { ARGO_ROLLOUTS_CHART } from "../components/delivery/versions";
import { NatMode } from "../components/network/args";
import { INTERFACE_ENDPOINT_SERVICES } from "../components/network/endpoints";
import { OBSERVABILITY_CHARTS } from "../components/observability/versions";
import { CHART_IMAGE_REGISTRIES, registryOf } from "../components/shared/registries";
import { PROJECT_DIR, SynthError, synthesizeStack } from "../tools/synth";
import { configProblems, requiredDelivery, synthFixture } from "./helpers";

type Raw = Record<string, string>;

function stack(environment: string, sections: Record<string, unknown> = {}, region = "us-east-1"): Raw {
    return {
        "aws:region": region,
        "platform:environment": environment,
        "platform:delivery": JSON.stringify(requiredDelivery(region)),
        "platform:backup": JSON.stringify({ drRegion: region === "us-west-2" ? "us-east-1" : "us-west-2" }),
        ...Object.fromEntries(Object.entries(sections).map(([key, value]) => [`platform:${key}`, JSON.stringify(value)])),
    };
}

describe("what EKS would refuse: the service range", function () {
    it("refuses a VPC inside the default service range 172.20.0.0/16, naming both keys", function () {
        assert.deepEqual(configProblems(stack("prod", { network: { cidrBlock: "172.20.0.0/16" } })), [
            'platform:cluster.serviceIpv4Cidr: got "172.20.0.0/16", which overlaps platform:network.cidrBlock "172.20.0.0/16"; expected a service range apart ' +
                "from the VPC's (EKS refuses the cluster, after the VPC exists): choose another VPC range, or set serviceIpv4Cidr, e.g. \"10.100.0.0/16\" or \"172.20.0.0/16\"",
        ]);
    });

    it("refuses a smaller VPC that only partly overlaps it", function () {
        const problems = configProblems(stack("dev", { network: { cidrBlock: "172.20.128.0/20" } }));
        assert.equal(problems.length, 1);
        assert.match(problems[0], /^platform:cluster\.serviceIpv4Cidr: got "172\.20\.0\.0\/16", which overlaps platform:network\.cidrBlock "172\.20\.128\.0\/20"/);
    });

    it("accepts that VPC once the service range is moved", function () {
        const config = loadStackConfig(stack("prod", { network: { cidrBlock: "172.20.0.0/16" }, cluster: { serviceIpv4Cidr: "10.100.0.0/16" } }), "prod");
        assert.equal(config.cluster.serviceIpv4Cidr, "10.100.0.0/16");
    });

    for (const [cidr, expected] of [
        ["10.100.0.0/25", "expected a /12 to /24, as EKS requires of the service range"],
        ["10.0.0.0/11", "expected a /12 to /24, as EKS requires of the service range"],
        ["100.64.0.0/16", "expected a range inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, as EKS requires of the service range"],
        ["10.100.0.1/16", "has host bits set"],
    ]) {
        it(`refuses service range ${cidr}`, function () {
            const problems = configProblems(stack("prod", { cluster: { serviceIpv4Cidr: cidr } }));
            assert.equal(problems.length, 1, problems.join("\n"));
            assert.ok(problems[0].startsWith(`platform:cluster.serviceIpv4Cidr: got "${cidr}"; `), problems[0]);
            assert.ok(problems[0].includes(expected), problems[0]);
        });
    }
});

describe("what could never run: natMode none", function () {
    it("refuses natMode none with the endpoints the private subnets lack, the registries they cannot reach and the probe", function () {
        const problems = configProblems(stack("prod", { network: { natMode: "none" } }));
        assert.equal(problems.length, 1);
        const [problem] = problems;
        assert.ok(problem.startsWith('platform:network.natMode: got "none"; expected "single" or "perAz": without NAT, private subnets reach only'), problem);
        // prod has the interface endpoints: those are not named, the ones it lacks are.
        for (const service of ["ec2", "eks", "elasticloadbalancing", "autoscaling", "sns"]) {
            assert.match(problem, new RegExp(`\\b${service.replace(".", "\\.")}\\b`), `${service} is not named`);
        }
        for (const service of INTERFACE_ENDPOINT_SERVICES) {
            assert.doesNotMatch(problem, new RegExp(`call [^(]*\\b${service.replace(".", "\\.")}\\b`), `${service} has an endpoint in prod`);
        }
        for (const registry of ["quay.io", "docker.io", "ghcr.io", "registry.k8s.io", "public.ecr.aws", "cr.fluentbit.io"]) {
            assert.ok(problem.includes(registry), `${registry} is not named`);
        }
        assert.ok(problem.includes("probe https://api.example.com through its internet-facing load balancer"));
    });

    it("names every interface endpoint as missing when interfaceEndpoints is off", function () {
        const [problem] = configProblems(stack("dev", { network: { natMode: "none", interfaceEndpoints: false } }));
        for (const service of INTERFACE_ENDPOINT_SERVICES.filter((s) => s in ENDPOINTS_NEEDED)) {
            assert.ok(problem.includes(service), `${service} is not named`);
        }
    });

    it("would accept it once every API has an endpoint, every image is in the region's ECR and nothing probes the internet", function () {
        const inputs = { natMode: NatMode.None, interfaceEndpoints: true, region: "us-east-1", applicationImage: "123456789012.dkr.ecr.us-east-1.amazonaws.com/api", hostname: undefined };
        const problem = privateNetworkProblems(inputs, "platform:network")[0];
        // Only the missing endpoints and the charts' public registries are left: the application's image is not.
        assert.ok(!problem.includes("dkr.ecr"), problem);
        assert.ok(!problem.includes("probe"), problem);
        assert.deepEqual(privateNetworkProblems({ ...inputs, natMode: NatMode.Single }, "platform:network"), []);
    });

    it("reads an image's registry as a container runtime does", function () {
        assert.equal(registryOf("ghcr.io/stefanprodan/podinfo"), "ghcr.io");
        assert.equal(registryOf("velero/velero:v1.18.1"), "docker.io");
        assert.equal(registryOf("node:24"), "docker.io");
        assert.equal(registryOf("localhost:5000/app"), "localhost:5000");
        assert.equal(registryOf("123456789012.dkr.ecr.us-east-1.amazonaws.com/api"), "123456789012.dkr.ecr.us-east-1.amazonaws.com");
    });

    it("knows the registries of every chart the platform pins (a new chart must say where its images come from)", function () {
        const pinned = [...Object.values(HELM_CHARTS), ...Object.values(OBSERVABILITY_CHARTS), VELERO_CHART, ARGO_ROLLOUTS_CHART];
        const known = CHART_IMAGE_REGISTRIES.map((entry) => entry.chart);
        assert.deepEqual(pinned.filter((chart) => !known.includes(chart)).map((chart) => chart.chart), []);
    });
});

describe("what EKS would refuse: zones by ID", function () {
    this.timeout(60_000);

    it("refuses more zones than the region has, saying which zone EKS refuses there", function () {
        assert.deepEqual(configProblems(stack("prod", {}, "us-west-1")), [
            "platform:network.availabilityZoneCount: got 3; us-west-1 has 2 availability zones (and EKS refuses usw1-az2, which may be one of them); expected at most 2",
        ]);
    });

    it("leaves out the zones EKS refuses when it picks, by ID, and fails before any subnet when too few are left", async function () {
        // Here us-west-1's two zones are usw1-az1 and usw1-az2: one is left, for two wanted.
        const outcome = await synthFixture("network-program", { "fixture:networkArgs": { cidrBlock: "10.40.0.0/16", availabilityZoneCount: 2 } }, "us-west-1");
        assert.match(outcome.error ?? "", /availabilityZoneCount is 2 but the region offers 1 zones EKS accepts \(us-west-1a\)/);
        assert.deepEqual(outcome.resources.filter((r) => r.type === "aws:ec2/subnet:Subnet"), []);
    });
});

describe("refused before any resource is registered", function () {
    this.timeout(60_000);

    async function planned(change: Record<string, unknown>): Promise<SynthError> {
        const dir = mkdtempSync(join(tmpdir(), "platform-refusal-"));
        const prod = parse(readFileSync(join(PROJECT_DIR, "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, unknown> };
        writeFileSync(join(dir, "Pulumi.prod.yaml"), stringify({ config: { ...prod.config, "platform:network": { ...(prod.config["platform:network"] as object), ...change } } }));
        try {
            await synthesizeStack("prod", { configDir: dir });
        } catch (err) {
            assert.ok(err instanceof SynthError, String(err));
            return err;
        }
        return assert.fail("the stack synthesized");
    }

    // Both refusals above come from the same loader; one program run shows it stops before any resource.
    for (const [name, change, keys] of [["a VPC in 172.20.0.0/16 and natMode none", { cidrBlock: "172.20.0.0/16", natMode: "none" }, ["platform:cluster.serviceIpv4Cidr", "platform:network.natMode"]]] as const) {
        it(`${name}: a config error naming ${keys.join(" and ")}, and no resource but the stack`, async function () {
            const error = await planned(change);
            assert.equal(error.kind, "config");
            assert.ok(error.message.startsWith("Pulumi.prod.yaml: invalid stack configuration (2 problems)"), error.message);
            for (const key of keys) {
                assert.ok(error.message.includes(`  - ${key}: `), error.message);
            }
            assert.deepEqual(error.resources.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => r.type), []);
        });
    }
});
