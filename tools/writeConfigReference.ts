/**
 * `npm run docs:config`: writes the configuration reference, docs/CONFIGURATION.md, from the
 * schemas and profiles in config/ (tools/configReference.ts). A test fails when the file no
 * longer matches them.
 */
import { writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { CONFIG_REFERENCE_FILE, configReference } from "./configReference";

export const CONFIG_REFERENCE_PATH = join(__dirname, "..", CONFIG_REFERENCE_FILE);

function main(): void {
    writeFileSync(CONFIG_REFERENCE_PATH, configReference());
    console.log(`Wrote ${relative(process.cwd(), CONFIG_REFERENCE_PATH)}`);
}

if (require.main === module) {
    main();
}
