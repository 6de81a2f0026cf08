// Every rule of the pack, by family.
import { Policies } from "@pulumi/policy";
import { kmsPolicies } from "./kms";
import { platformPolicies } from "./platform";

export const policies: Policies = [...kmsPolicies, ...platformPolicies];
