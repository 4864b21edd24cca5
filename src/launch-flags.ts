/**
 * The Node/V8 flags the service is started with: package.json's `start` and `serve`, the Dockerfile's
 * CMD and the benches (launch-flags.spec.ts checks that they agree). V8 sizes its young generation when
 * it starts, so this cannot come from the configuration as HEAP_GROWTH_PERCENT does.
 *
 * --max-semi-space-size=8: a young generation of at most 16 MiB instead of V8's 32 MiB on this kind of
 * machine. With 100 000 sirens the service's RSS is about 40 MiB lower (bench:scale). It costs CPU per
 * ingested message (44–52 µs against 41 µs in the last runs; 4 MiB cost more) and list median
 * (bench/README.md, sixth session): a trade for the RSS target.
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];
