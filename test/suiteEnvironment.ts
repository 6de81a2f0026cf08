// Loaded by mocha before the tests (.mocharc.json): the suite's synths, in every worker and in
// the plans it starts, share one on-disk cache of outcomes (tools/synthCache.ts).
process.env.PLATFORM_SYNTH_CACHE = "1";
