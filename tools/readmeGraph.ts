/**
 * `npm run graph:readme`: redraws the picture of the prod stack's components and their wiring
 * that the docs show (docs/platform-prod.svg), from an offline synth of prod. A test fails
 * when the file no longer matches what the program builds.
 */
import { writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { componentDot, renderSvg } from "./graphPicture";
import { PROJECT_DIR, SynthResult, synthesizeStack } from "./synth";

/** The stack the picture shows. */
export const README_GRAPH_STACK = "prod";
export const README_GRAPH_PATH = join(PROJECT_DIR, "docs", "platform-prod.svg");

/** The picture's SVG text for a synth of the stack: the component view, top to bottom. */
export function readmeGraphSvg(result: SynthResult): Promise<string> {
    return renderSvg(componentDot(result.resources));
}

async function main(): Promise<void> {
    const svg = await readmeGraphSvg(await synthesizeStack(README_GRAPH_STACK));
    writeFileSync(README_GRAPH_PATH, svg);
    console.log(`Wrote ${relative(process.cwd(), README_GRAPH_PATH)}`);
}

if (require.main === module) {
    main().catch((err: unknown) => {
        console.error(err);
        process.exit(1);
    });
}
