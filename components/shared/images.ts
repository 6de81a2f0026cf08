/**
 * Images the platform's own small jobs run in. Their scripts need nothing but Node.js, so one
 * pinned official image serves them all; raising it is a reviewed change to this file.
 */
export const NODE_RUNTIME = {
    image: "docker.io/library/node:24.21.0-alpine",
    /** The official image's unprivileged `node` user. */
    user: 1000,
} as const;
