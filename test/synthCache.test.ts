// The suite's synth cache (tools/synthCache.ts) may only ever return what a synth of the same
// code, config and stand-ins would: anything that changes the outcome changes the key.
import * as assert from "node:assert/strict";
import { synthCacheKey } from "../tools/synthCache";
import { PROJECT_DIR } from "../tools/synth";

describe("the suite's synth cache key", function () {
    const request = { programPath: "/p/index.ts", project: "platform", stack: "prod", config: { "aws:region": "us-east-1" }, secretKeys: [] };

    it("is the same for the same request", function () {
        assert.equal(synthCacheKey(PROJECT_DIR, request), synthCacheKey(PROJECT_DIR, { ...request }));
    });

    it("changes with the stack, a config value or a secret key", function () {
        const key = synthCacheKey(PROJECT_DIR, request);
        assert.notEqual(synthCacheKey(PROJECT_DIR, { ...request, stack: "dev" }), key);
        assert.notEqual(synthCacheKey(PROJECT_DIR, { ...request, config: { "aws:region": "eu-west-1" } }), key);
        assert.notEqual(synthCacheKey(PROJECT_DIR, { ...request, secretKeys: ["platform:x"] }), key);
    });

    it("changes with a stand-in the mocks read from the environment", function () {
        const key = synthCacheKey(PROJECT_DIR, request);
        process.env.PLATFORM_OFFLINE_CALLER_ARN = "arn:aws:sts::123456789012:assumed-role/r/s";
        try {
            assert.notEqual(synthCacheKey(PROJECT_DIR, request), key);
        } finally {
            delete process.env.PLATFORM_OFFLINE_CALLER_ARN;
        }
    });
});
