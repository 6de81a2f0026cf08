/**
 * The configuration reference, docs/CONFIGURATION.md: every key a stack file may set, its type,
 * its default in each environment tier and what it does, rendered from the schemas
 * (config/load.ts PROJECT_KEYS) and the tiers' profiles (config/profiles.ts PROFILES).
 * `npm run docs:config` writes it (tools/writeConfigReference.ts); a test fails when it is stale.
 *
 * This module assembles the Markdown: the preamble, the tables and the regions. The rows come from
 * tools/configReference/schemaRows.ts, the tiers' values and cells from tools/configReference/tierValues.ts.
 */
import { z } from "zod";
import { ENVIRONMENTS, PROJECT_KEYS, REGION_KEY, REGION_ZONE_COUNTS } from "../config";
import { ReferenceRow, keyRow, referenceSections, schemaDescription, valueShape } from "./configReference/schemaRows";
import { CONFIG_PROJECT, NOT_SET, SET_PER_STACK, code, perTier, projectKeyInstances, requiredKeys } from "./configReference/tierValues";

export { isLeaf, referenceSections, schemaDescription } from "./configReference/schemaRows";
export type { ReferenceRow } from "./configReference/schemaRows";
export { CONFIG_PROJECT, NOT_SET, SET_PER_STACK, requiredKeys, tierDefaults } from "./configReference/tierValues";

/** Where the reference is written, relative to the project directory. */
export const CONFIG_REFERENCE_FILE = "docs/CONFIGURATION.md";

/** The width prose is wrapped at. */
const WIDTH = 96;

/** The top-level keys: the region, then the project's keys in PROJECT_KEYS' order. */
function topLevelRows(required: ReadonlySet<string>): ReferenceRow[] {
    const perStack = (key: string) => (required.has(key) ? SET_PER_STACK : NOT_SET);
    const rows: ReferenceRow[] = [
        {
            path: REGION_KEY,
            type: "string: a region listed below",
            values: perTier(() => perStack(REGION_KEY)),
            description: "The AWS region the stack deploys to: one whose availability zones the platform knows (`config/regions.ts`).",
        },
    ];
    for (const [name, schema] of Object.entries(PROJECT_KEYS as Record<string, z.ZodType>)) {
        const key = `${CONFIG_PROJECT}:${name}`;
        if (valueShape(schema) === "object") {
            const description = schemaDescription(schema);
            const link = `[the ${name} keys](#${anchor(key)})`;
            rows.push({
                path: key,
                type: "object",
                values: perTier(() => ""),
                description: description ? `${description} See ${link}.` : `See ${link}.`,
            });
            continue;
        }
        rows.push(keyRow(key, key, schema, projectKeyInstances(name), perStack(key)));
    }
    return rows;
}

/** GitHub's anchor for a heading that is the key in inline code. */
function anchor(key: string): string {
    return key.toLowerCase().replace(/[^a-z0-9 _-]/g, "").replace(/ /g, "-");
}

/** A table cell: one line, its pipes escaped. */
function tableCell(text: string): string {
    return text.replace(/\s*\n\s*/g, " ").replace(/\|/g, "\\|");
}

function table(rows: readonly ReferenceRow[]): string[] {
    const header = ["key", "type", ...ENVIRONMENTS, "what it does"];
    return [
        `| ${header.join(" | ")} |`,
        `| ${header.map(() => "---").join(" | ")} |`,
        ...rows.map((row) => `| ${[code(row.path), row.type, ...ENVIRONMENTS.map((tier) => row.values[tier]), row.description].map(tableCell).join(" | ")} |`),
    ];
}

/** The example stack file the preamble shows; a test loads it. */
export function exampleStackFile(): string {
    const region = "us-east-1";
    return [
        "config:",
        `  ${REGION_KEY}: ${region}`,
        `  ${CONFIG_PROJECT}:environment: prod`,
        `  ${CONFIG_PROJECT}:network:`,
        "    cidrBlock: 10.40.0.0/16          # the rest of platform:network stays prod's",
        `  ${CONFIG_PROJECT}:cluster:`,
        "    nodeGroups:",
        "      workload:",
        "        maxSize: 20                  # one key of one node group; the rest stays prod's",
        "        instanceTypes: [m7i.xlarge]  # a list replaces prod's whole list",
        `  ${CONFIG_PROJECT}:delivery:`,
        "    hostname: api.example.com",
        `    certificateArn: arn:aws:acm:${region}:111122223333:certificate/0b6c1a4e-3f2d-4c8e-9a71-5d2e8f4b6c10`,
        `  ${CONFIG_PROJECT}:backup:`,
        "    drRegion: us-west-2",
    ].join("\n");
}

/** The whole reference, as docs/CONFIGURATION.md holds it. */
export function configReference(): string {
    const required = requiredKeys();
    const sections = referenceSections();
    const tiers = ENVIRONMENTS.map(code).join(", ");
    const stackFileKeys = [`${CONFIG_PROJECT}:environment`, REGION_KEY];
    const perStackKeys = [...required].filter((key) => !stackFileKeys.includes(key)).map(code).join(", ");
    const lines: string[] = [
        "# Configuration reference",
        "",
        ...wrap(
            "Every key a stack file may set: its type, its default in each environment tier, and what it does. " +
                "This file is generated from the schemas and profiles in `config/` by `npm run docs:config`; do not edit it by hand " +
                "(a test fails when it is stale). How the pieces fit together, and the rules that span several keys, " +
                "are in [CONFIGURATION_GUIDE.md](CONFIGURATION_GUIDE.md).",
        ),
        "",
        "## How configuration works",
        "",
        ...bullet(
            `A stack file, \`Pulumi.<stack>.yaml\`, sets \`${CONFIG_PROJECT}:environment\`, the tier (${tiers}), and \`${REGION_KEY}\`. ` +
                `The keys no tier can know have no default either, so every stack file sets them too: ${perStackKeys}.`,
        ),
        ...bullet("Every other key defaults to its tier's value: the dev, staging and prod columns below."),
        ...bullet(
            "A stack overrides any key. Objects merge key by key, at any depth, so a stack sets only the keys it changes. " +
                "Maps keyed by name (node groups, namespaces, backup rules) merge entry by entry: a stack adds an entry " +
                "or changes some of an entry's keys, and cannot remove one the tier defines. Lists replace the tier's list whole.",
        ),
        ...bullet(
            "A key the schema does not know is an error that names the keys allowed there (and the nearest, for a typo); " +
                "so is a value of the wrong type. Every problem is reported at once, before anything is deployed.",
        ),
        "",
        "For example, a prod stack with its own VPC range and more workload nodes:",
        "",
        "```yaml",
        exampleStackFile(),
        "```",
        "",
        "Reading the tables:",
        "",
        ...bullet(
            `A section's keys are written relative to it: \`cidrBlock\` under \`${CONFIG_PROJECT}:network\` is ` +
                `\`${CONFIG_PROJECT}:network.cidrBlock\`, set in YAML as \`cidrBlock:\` under \`${CONFIG_PROJECT}:network:\`.`,
        ),
        ...bullet(
            "`<name>` stands for the name of an entry of a map (`nodeGroups.<name>.minSize` is the `minSize` of each node group); " +
                "a tier's cell names each of its entries with the entry's value, e.g. system `1`, workload `1`. " +
                "`[]` stands for each entry of a list, listed in order.",
        ),
        ...bullet('Values are written as in a stack file: a string YAML would read as a number is quoted (`"1.36"`, `"4"`).'),
        ...bullet(`*${SET_PER_STACK}*: no default, and every stack file sets it. *${NOT_SET}*: optional, and the tier leaves it unset.`),
        "",
        "## Top-level keys",
        "",
        ...table(topLevelRows(required)),
        "",
        `The regions \`${REGION_KEY}\` may name, each with its availability zones (the most`,
        "`platform:network.availabilityZoneCount` may be there):",
        "",
        ...regionLines(),
    ];
    for (const section of sections) {
        lines.push("", `## ${code(section.key)}`, "");
        if (section.description) {
            lines.push(section.description, "");
        }
        lines.push(...table(section.rows));
    }
    return `${lines.join("\n")}\n`;
}

/** Text as lines of at most WIDTH characters, broken at spaces outside inline code. */
function wrap(text: string, indent = ""): string[] {
    const lines: string[] = [];
    let line = "";
    let inCode = false;
    for (const word of text.split(" ")) {
        const canBreak = !inCode;
        if (canBreak && line !== "" && indent.length + line.length + 1 + word.length > WIDTH) {
            lines.push(line);
            line = word;
        } else {
            line = line === "" ? word : `${line} ${word}`;
        }
        if ((word.match(/`/g)?.length ?? 0) % 2 === 1) {
            inCode = !inCode;
        }
    }
    lines.push(line);
    return lines.map((l) => `${indent}${l}`);
}

/** A list item, wrapped, its continuation lines indented under the first. */
function bullet(text: string): string[] {
    const [first, ...rest] = wrap(text, "  ");
    return [`- ${first.slice(2)}`, ...rest];
}

/** The known regions with their zone counts, wrapped at a sane width. */
function regionLines(): string[] {
    const items = Object.entries(REGION_ZONE_COUNTS).map(([region, zones]) => `${code(region)} (${zones})`);
    const lines: string[] = [];
    let line = "";
    for (const item of items) {
        const next = line === "" ? item : `${line}, ${item}`;
        if (next.length > WIDTH && line !== "") {
            lines.push(`${line},`);
            line = item;
        } else {
            line = next;
        }
    }
    lines.push(`${line}.`);
    return lines;
}
