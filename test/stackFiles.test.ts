import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OFFLINE_SECRET_PLACEHOLDER, StackFileError, readStackConfigFiles } from "../tools/stackFiles";

function project(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), "platform-files-"));
    for (const [name, text] of Object.entries(files)) {
        writeFileSync(join(dir, name), text);
    }
    return dir;
}

const PROJECT_FILE = ["name: platform", "runtime: nodejs", "config:", "  environment:", "    type: string", "    description: tier", "  retries:", "    type: integer", "    default: 3", ""].join("\n");

describe("reading stack files as the CLI hands them to a program", function () {
    it("namespaces bare keys, keeps scalars as text and objects as JSON with their types", function () {
        const dir = project({
            "Pulumi.yaml": PROJECT_FILE,
            "Pulumi.dev.yaml": ["config:", "  aws:region: eu-west-1", "  environment: dev", "  platform:network:", "    availabilityZoneCount: 2", "    interfaceEndpoints: false", ""].join("\n"),
        });
        const files = readStackConfigFiles(dir, "dev");
        assert.deepEqual(files.config, {
            "platform:retries": "3",
            "aws:region": "eu-west-1",
            "platform:environment": "dev",
            "platform:network": '{"availabilityZoneCount":2,"interfaceEndpoints":false}',
        });
        assert.deepEqual(files.secretKeys, []);
    });

    it("replaces secure values, nested ones included, by a placeholder and lists their keys as secret", function () {
        const dir = project({
            "Pulumi.yaml": PROJECT_FILE,
            "Pulumi.prod.yaml": ["config:", "  platform:token:", "    secure: v1:abc", "  platform:alerts:", "    pagerduty:", "      secure: v1:def", "    team: sre", ""].join("\n"),
        });
        const files = readStackConfigFiles(dir, "prod");
        assert.equal(files.config["platform:token"], OFFLINE_SECRET_PLACEHOLDER);
        assert.deepEqual(JSON.parse(files.config["platform:alerts"]), { pagerduty: OFFLINE_SECRET_PLACEHOLDER, team: "sre" });
        assert.deepEqual(files.secretKeys.sort(), ["platform:alerts", "platform:token"]);
    });

    it("names the file when the stack file is missing or is not YAML", function () {
        const dir = project({ "Pulumi.yaml": PROJECT_FILE, "Pulumi.bad.yaml": "config: [unclosed\n" });
        assert.throws(() => readStackConfigFiles(dir, "qa"), (err: Error) => err instanceof StackFileError && /Pulumi\.qa\.yaml: no such stack file .*stacks there: bad/.test(err.message));
        assert.throws(() => readStackConfigFiles(dir, "bad"), (err: Error) => err instanceof StackFileError && err.message.includes("Pulumi.bad.yaml"));
    });
});
