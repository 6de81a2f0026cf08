/** Look-ups over a synthesized resource graph, for tests and reports. */
import { RecordedResource } from "./record";
import { SynthResult } from "./synth";

export class ResourceGraph {
    private readonly byUrn: Map<string, RecordedResource>;

    constructor(public readonly result: SynthResult) {
        this.byUrn = new Map(result.resources.map((r) => [r.urn, r]));
    }

    get resources(): readonly RecordedResource[] {
        return this.result.resources;
    }

    get outputs(): Record<string, unknown> {
        return this.result.outputs;
    }

    ofType(type: string): RecordedResource[] {
        return this.result.resources.filter((r) => r.type === type);
    }

    /** The one resource of `type` named `name`; throws when there is none or several. */
    get(type: string, name: string): RecordedResource {
        const found = this.ofType(type).filter((r) => r.name === name);
        if (found.length !== 1) {
            throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
        }
        return found[0];
    }

    urn(urn: string): RecordedResource | undefined {
        return this.byUrn.get(urn);
    }

    childrenOf(parent: RecordedResource | string): RecordedResource[] {
        const urn = typeof parent === "string" ? parent : parent.urn;
        return this.result.resources.filter((r) => r.parent === urn);
    }

    /** Resources whose input `property` is the id or ARN a mock gave `target`. */
    referencing(property: string, targetUrn: string): RecordedResource[] {
        return this.result.resources.filter((r) => (r.propertyDependencies[property] ?? []).includes(targetUrn));
    }
}

export function countByType(resources: readonly RecordedResource[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of resources) {
        counts[r.type] = (counts[r.type] ?? 0) + 1;
    }
    return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

/** The class of a type token: `platform:index:Cluster` → `Cluster`. */
export function className(type: string): string {
    return type.slice(type.lastIndexOf(":") + 1);
}

/**
 * A type token's short name: the module's first segment and the class
 * (`aws:ec2/vpc:Vpc` → `ec2.Vpc`, `kubernetes:core/v1:Secret` → `core.Secret`), the class
 * alone when the module is `index` (`platform:index:ServiceAccountRole` → `ServiceAccountRole`).
 */
export function shortType(type: string): string {
    const [pkg, module = ""] = type.split(":");
    if (pkg === "pulumi" && module === "providers") {
        return `${className(type)} provider`;
    }
    const head = module.split("/")[0];
    return head === "" || head === "index" ? className(type) : `${head}.${className(type)}`;
}
