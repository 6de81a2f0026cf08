/**
 * Every key a stack file sets must be one something reads: the project's own (its schema says
 * which), a provider's configuration (the keys each installed provider package reads), or the
 * engine's. Anything else is a typo Pulumi would pass over in silence (`aws:regoin`).
 */
import { readFileSync } from "node:fs";
import { didYouMean, show } from "./messages";
import { decode } from "./values";

/** Where a provider package says which config keys it reads, and the pattern that finds them. */
const PROVIDER_KEY_SOURCES: Readonly<Record<string, { file: string; pattern: RegExp }>> = {
    // The provider's config variables, each read with __config.get…("<key>").
    aws: { file: "@pulumi/aws/config/vars.js", pattern: /__config\.get\w*\("([A-Za-z0-9]+)"\)/g },
    // The kubernetes provider reads its config keys as its Provider's inputs.
    kubernetes: { file: "@pulumi/kubernetes/provider.js", pattern: /resourceInputs\["([A-Za-z0-9]+)"\]/g },
};

/** The engine's own namespace: the one key a stack may set there. */
const ENGINE_KEYS: readonly string[] = ["disable-default-providers"];

const providerKeys = new Map<string, readonly string[]>();

/** The config keys a provider package reads, from the installed package itself. */
export function providerConfigKeys(provider: string): readonly string[] {
    let keys = providerKeys.get(provider);
    if (!keys) {
        const source = PROVIDER_KEY_SOURCES[provider];
        const text = readFileSync(require.resolve(source.file), "utf8");
        keys = [...new Set([...text.matchAll(source.pattern)].map((match) => match[1]))].sort();
        if (keys.length === 0) {
            throw new Error(`${source.file} names no config keys: the package's layout changed, so config/namespaces.ts cannot check ${provider}:* keys`);
        }
        providerKeys.set(provider, keys);
    }
    return keys;
}

/** Keys outside the project's namespace that nothing reads, each with its value and a suggestion. */
export function unknownKeyProblems(raw: Readonly<Record<string, string>>, project: string, secretKeys: readonly string[]): string[] {
    const namespaces = [project, ...Object.keys(PROVIDER_KEY_SOURCES), "pulumi"];
    const problems: string[] = [];
    for (const [key, value] of Object.entries(raw)) {
        const colon = key.indexOf(":");
        const namespace = key.slice(0, colon);
        const name = key.slice(colon + 1);
        if (namespace === project) {
            continue; // the project's schema names its unknown keys
        }
        // A secret's plaintext never reaches a message.
        const given = secretKeys.includes(key) ? "got a secret value" : `got ${show(decode(value))}`;
        if (Object.hasOwn(PROVIDER_KEY_SOURCES, namespace) || namespace === "pulumi") {
            const known = namespace === "pulumi" ? ENGINE_KEYS : providerConfigKeys(namespace);
            if (!known.includes(name)) {
                const reader = namespace === "pulumi" ? "the Pulumi engine" : `the ${namespace} provider (@pulumi/${namespace})`;
                const hint = didYouMean(name, known).replace(/"([^"]+)"/, `"${namespace}:$1"`);
                // A near miss is named; otherwise every key it reads is listed.
                problems.push(`${key}: ${given}; not a key ${reader} reads${hint || ` (its keys: ${known.join(", ")})`}`);
            }
            continue;
        }
        problems.push(`${key}: ${given}; unknown namespace ${show(namespace)}${didYouMean(namespace, namespaces)} (namespaces read: ${namespaces.join(", ")})`);
    }
    return problems;
}
