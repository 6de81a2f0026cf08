/**
 * A kubeconfig for the cluster that holds no credentials: each client mints a short-lived
 * token with its own AWS identity (`aws eks get-token`), which the access entries authorize.
 */
export interface Kubeconfig {
    apiVersion: "v1";
    kind: "Config";
    clusters: Array<{ name: string; cluster: { server: string; "certificate-authority-data": string } }>;
    contexts: Array<{ name: string; context: { cluster: string; user: string } }>;
    "current-context": string;
    users: Array<{
        name: string;
        user: { exec: { apiVersion: string; command: string; args: string[]; interactiveMode: string } };
    }>;
}

export function kubeconfig(clusterName: string, endpoint: string, certificateAuthorityData: string, region: string): Kubeconfig {
    return {
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: clusterName, cluster: { server: endpoint, "certificate-authority-data": certificateAuthorityData } }],
        contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
        "current-context": clusterName,
        users: [
            {
                name: clusterName,
                user: {
                    exec: {
                        apiVersion: "client.authentication.k8s.io/v1beta1",
                        command: "aws",
                        args: ["eks", "get-token", "--cluster-name", clusterName, "--region", region, "--output", "json"],
                        // Pulumi and CI run without a terminal: never wait for a prompt.
                        interactiveMode: "Never",
                    },
                },
            },
        ],
    };
}
