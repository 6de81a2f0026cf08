/**
 * Reading inputs that may not be known yet, and what a KMS key reference names. Shared by the
 * data, S3 and logs rules.
 *
 * During a CLI preview an input computed from a resource not created yet (a new key's ARN, a
 * new bucket's id) is unknown, and reading it throws the SDK's UnknownValueError; the offline
 * engine records the same input as "[unknown]". Either way the input is set: its value is
 * only not known yet.
 */
import { UnknownValueError } from "@pulumi/policy";

/** How tools/record.ts writes a value known only after deployment. */
const RECORDED_UNKNOWN = "[unknown]";

export type Read<T> = { known: true; value: T } | { known: false };

/** Thrown by known() on the offline engine's unknown, as the SDK throws UnknownValueError on the CLI's. */
class RecordedUnknownError extends Error {}

/** The value, for use inside read(): when the offline engine recorded it as unknown, the whole read is unknown. */
export function known<T>(value: T): T {
    if (value === RECORDED_UNKNOWN) {
        throw new RecordedUnknownError(RECORDED_UNKNOWN);
    }
    return value;
}

/**
 * Reads inputs, telling "not known until deployed" apart from a value: the result is unknown
 * when the getter reads an unknown (under the CLI), passes one to known(), or returns one.
 */
export function read<T>(get: () => T): Read<T> {
    try {
        return { known: true, value: known(get()) };
    } catch (err) {
        if (err instanceof UnknownValueError || err instanceof RecordedUnknownError) {
            return { known: false };
        }
        throw err;
    }
}

/** True when the input is given: a value, a secret (under the CLI, its value; offline, "[secret]"), or an unknown. */
export function isSet<T extends object>(props: T, key: keyof T & string): boolean {
    if (!Object.hasOwn(props, key)) {
        return false;
    }
    const found = read(() => props[key] as unknown);
    return !found.known || (found.value !== undefined && found.value !== null && found.value !== "");
}

/** An AWS managed key named by alias (`alias/aws/rds`, or an ARN ending in it). */
const AWS_MANAGED_ALIAS = /(^|:)alias\/aws\//;

/**
 * What is wrong with a key input that must name a customer-managed KMS key: unset, or an
 * AWS managed key's alias. Undefined when it names another key (or one not known yet). An AWS
 * managed key given by its key ARN cannot be told apart from a customer-managed one here.
 */
export function customerKeyProblem<T extends object>(props: T, key: keyof T & string): string | undefined {
    if (!isSet(props, key)) {
        return `${key} is not set`;
    }
    const found = read(() => props[key] as unknown);
    if (found.known && typeof found.value === "string" && AWS_MANAGED_ALIAS.test(found.value)) {
        return `${key} names the AWS managed key ${found.value}`;
    }
    return undefined;
}
