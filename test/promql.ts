/**
 * PromQL checks for tests: the expression parses with Prometheus's own grammar (the Lezer
 * parser its web UI uses), and every metric it selects is one the catalogue says an exporter
 * of ours produces.
 */
import { parser } from "@prometheus-io/lezer-promql";

export interface PromqlCheck {
    /** Syntax errors, by character offset. */
    syntaxErrors: number[];
    /** Metric names the expression selects. */
    metrics: string[];
}

export function checkPromql(expr: string): PromqlCheck {
    const cursor = parser.parse(expr).cursor();
    const syntaxErrors: number[] = [];
    const metrics: string[] = [];
    do {
        if (cursor.type.isError) {
            syntaxErrors.push(cursor.from);
        }
        if (cursor.type.name === "VectorSelector") {
            const node = cursor.node.getChild("Identifier");
            if (node) {
                metrics.push(expr.slice(node.from, node.to));
            }
        }
    } while (cursor.next());
    return { syntaxErrors, metrics };
}

/** What is wrong with an expression: syntax errors and metrics outside `known`; empty when fine. */
export function promqlProblems(expr: string, known: ReadonlySet<string>): string[] {
    const { syntaxErrors, metrics } = checkPromql(expr);
    return [
        ...syntaxErrors.map((at) => `syntax error at ${at}: …${expr.slice(Math.max(0, at - 15), at + 15)}…`),
        ...metrics.filter((m) => !known.has(m)).map((m) => `unknown metric ${m}`),
        ...(metrics.length === 0 && syntaxErrors.length === 0 ? ["selects no metric"] : []),
    ];
}

/** Grafana's variables, replaced by values of the right kind so the PromQL parser can read the query. */
export function withGrafanaVariables(expr: string): string {
    return expr.replace(/\$__rate_interval|\$__interval|\$__range/g, "5m").replace(/\$\{?(\w+)\}?/g, "value");
}
