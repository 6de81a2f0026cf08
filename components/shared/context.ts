/**
 * What a component's children share: their parent, tags, account, and the options of those
 * that hold data; and the customer-managed keys every component makes the same way.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccountScope, Tagger } from "./aws";

/** Where this component creates children, and what they share. */
export interface Context {
    parent: pulumi.Resource;
    tags: Tagger;
    scope: pulumi.Output<AccountScope>;
    /** Options of children that hold data (with `provider` when the context has one). */
    keep: pulumi.CustomResourceOptions;
    /** The provider of another region's children; absent, children use the parent's. */
    provider?: pulumi.ProviderResource;
}

/** Options of a child that holds no data. */
export function childOptions(ctx: Context): pulumi.CustomResourceOptions {
    return { parent: ctx.parent, provider: ctx.provider };
}

/** A symmetric customer-managed key with yearly rotation and a 30-day deletion window. */
export function key(keyName: string, description: string, policy: (scope: AccountScope) => object, ctx: Context): aws.kms.Key {
    const created = new aws.kms.Key(
        keyName,
        {
            description,
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            policy: ctx.scope.apply((s) => JSON.stringify(policy(s))),
            tags: ctx.tags({ Name: keyName }),
        },
        ctx.keep,
    );
    new aws.kms.Alias(keyName, { name: `alias/${keyName}`, targetKeyId: created.keyId }, childOptions(ctx));
    return created;
}
