// The browser, latency and end-to-end tests measure real time on a shared machine: they run one at a time so that
// one test's ffmpeg, Chromium or load burst does not make another miss its frames.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
