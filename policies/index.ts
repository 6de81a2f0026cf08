// The pack the Pulumi CLI runs (`pulumi preview --policy-pack policies`). The rules live in
// rules/, one file per family, so tests drive them through the analyzer protocol without ever
// constructing the pack (its constructor starts a gRPC server).
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./rules";

new PolicyPack("platform-guardrails", { policies });
