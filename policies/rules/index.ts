// Every rule of the pack, by family.
import { Policies } from "@pulumi/policy";
import { kmsPolicies } from "./kms";

export const policies: Policies = [...kmsPolicies];
