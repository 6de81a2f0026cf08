// Every rule of the pack, by family.
import { Policies } from "@pulumi/policy";
import { kmsPolicies } from "./kms";
import { platformPolicies } from "./platform";
import { dataPolicies } from "./data";
import { s3Policies } from "./s3";
import { iamPolicies } from "./iam";
import { logsPolicies } from "./logs";
import { networkPolicies } from "./network";
import { eksPolicies } from "./eks";
import { tagPolicies } from "./tags";
import { kubernetesPolicies } from "./kubernetes";

export const policies: Policies = [...kmsPolicies, ...platformPolicies, ...dataPolicies, ...s3Policies, ...iamPolicies, ...logsPolicies, ...networkPolicies, ...eksPolicies, ...tagPolicies, ...kubernetesPolicies];
