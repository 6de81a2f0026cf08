// The platform's source-based component package: every class exported here is a component
// Pulumi can serve (`pulumi package add ./components`).
export { NatMode, Network, NetworkArgs } from "./network";
