// Test classes run in parallel: each starts its own receiver host on loopback port 0 with discovery off and a data
// directory of its own. The browser, external-program, real-time and load tests are in the Chromium and Serial
// collections, which run one at a time after the parallel ones, so that one test's ffmpeg, Chromium or load burst
// does not make another miss its frames.
[assembly: CollectionBehavior(DisableTestParallelization = false)]
