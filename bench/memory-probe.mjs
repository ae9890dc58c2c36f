// Preloaded into a benchmarked server (`node --expose-gc --import ./bench/memory-probe.mjs …`): on
// SIGUSR2 it collects garbage fully and prints one line `memory {"rss":…,"heapUsed":…,…}` (bytes)
// to stdout, so bench/idle.ts can read retained memory without any code in the server itself.
process.on('SIGUSR2', () => {
  if (typeof globalThis.gc === 'function') {
    globalThis.gc();
    globalThis.gc();
  }
  const m = process.memoryUsage();
  process.stdout.write(`memory ${JSON.stringify({ rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers })}\n`);
});
