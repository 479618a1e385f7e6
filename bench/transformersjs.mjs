// Times transformers.js 4.x on the benchmark corpus: feature-extraction (mean pooling + normalize) and its tokenizer.
//
// Get transformers.js:  (cd bench && npm install --ignore-scripts @huggingface/transformers@4.3.1)
// or point TRANSFORMERS_JS_NODE_MODULES at a node_modules folder that has it (for example /opt/oracle/node_modules).
//
// node bench/transformersjs.mjs --model models/bench/minilm-l6 --corpus bench/corpus/corpus.jsonl \
//      --out bench/results/transformersjs.json [--vectors bench/results/transformersjs.f32] [--batch 32]
//      [--max-length 256] [--budget 2048] [--limit N] [--passes 10] [--tokenizer-only]
//
// Writes one JSON object: versions, token totals, and pipeline timing for batches of --batch texts in arrival order and
// (informational) length-sorted batches of at most --budget padded tokens. --vectors receives the arrival-order
// embeddings as little-endian float32, texts × dimension, so the C# runner can compare them.
// --tokenizer-only instead times the tokenizer alone, loaded by itself (AutoTokenizer, the same class the pipeline
// uses), and writes the versions and the tokenizer timing, in seconds rather than the minutes the pipeline takes.
//
// Tokenizer protocol (the C# runner `Embeddings.Benchmarks tokenizer` uses the same): every text encoded with special
// tokens and no truncation; warm-up passes until at least 3 passes and 1 s have gone by (the JIT compilers of both
// runtimes settle), then --passes timed passes; the best pass is reported, all passes are kept.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

function parseArgs(argv) {
  const args = { batch: 32, maxLength: 256, budget: 2048, limit: 0, passes: 10, tokenizerOnly: false };
  for (let i = 2; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (key === 'tokenizerOnly') {
      args.tokenizerOnly = true;
      i -= 1;
      continue;
    }
    args[key] = ['batch', 'maxLength', 'budget', 'limit', 'passes'].includes(key) ? Number(argv[i + 1]) : argv[i + 1];
  }
  for (const required of ['model', 'corpus', 'out']) {
    if (!args[required]) {
      console.error(`missing --${required}`);
      process.exit(2);
    }
  }
  return args;
}

async function loadTransformers() {
  try {
    return { module: await import('@huggingface/transformers'), from: 'bench/node_modules' };
  } catch {
    const root = process.env.TRANSFORMERS_JS_NODE_MODULES ?? '/opt/oracle/node_modules';
    const entry = path.join(root, '@huggingface/transformers/dist/transformers.node.mjs');
    if (!existsSync(entry)) {
      console.error(`transformers.js not found: run (cd bench && npm install --ignore-scripts) or set TRANSFORMERS_JS_NODE_MODULES (looked in ${root})`);
      process.exit(1);
    }
    return { module: await import(pathToFileURL(entry).href), from: root };
  }
}

function packageVersion(from, name) {
  const base = from === 'bench/node_modules' ? path.join(path.dirname(new URL(import.meta.url).pathname), 'node_modules') : from;
  try {
    return JSON.parse(readFileSync(path.join(base, name, 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

const args = parseArgs(process.argv);
const { module: transformers, from } = await loadTransformers();
const { env, pipeline } = transformers;
const modelDir = path.resolve(args.model);
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = path.dirname(modelDir) + path.sep;

let texts = readFileSync(args.corpus, 'utf8').split('\n').filter((line) => line.length > 0).map((line) => JSON.parse(line));
if (args.limit > 0) {
  texts = texts.slice(0, args.limit);
}

const cpuMs = (since) => {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
};

// Tokenizer alone: every text, special tokens added, no truncation; warm-up, then the best of --passes timed passes.
// CPU time (process.cpuUsage, all threads) is reported beside wall time: on a busy machine it is what other processes
// cannot inflate.
function timeTokenizer(tokenizer) {
  const pass = () => {
    let tokens = 0;
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    for (const text of texts) {
      tokens += tokenizer.encode(text).length;
    }
    return { tokens, ms: performance.now() - start, cpuMs: cpuMs(cpuStart) };
  };
  const first = pass();
  const warmupStart = performance.now();
  let warmupPasses = 1;
  while (warmupPasses < 3 || performance.now() - warmupStart < 1000) {
    pass();
    warmupPasses++;
  }
  const passes = [];
  for (let p = 0; p < args.passes; p++) {
    passes.push(pass());
  }
  return {
    tokens: first.tokens,
    ms: Math.min(...passes.map((p) => p.ms)),
    cpuMs: Math.min(...passes.map((p) => p.cpuMs)),
    passesMs: passes.map((p) => p.ms),
    passesCpuMs: passes.map((p) => p.cpuMs),
    firstPassMs: first.ms,
    warmupPasses,
  };
}

const versions = {
  node: process.version,
  transformersJs: packageVersion(from, '@huggingface/transformers'),
  onnxruntimeNode: packageVersion(from, 'onnxruntime-node'),
  transformersJsFrom: from,
};

if (args.tokenizerOnly) {
  const tokenizer = await transformers.AutoTokenizer.from_pretrained(path.basename(modelDir));
  const timing = timeTokenizer(tokenizer);
  const result = { ...versions, loadAverage: os.loadavg()[0], texts: texts.length, tokenizer: timing };
  mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
  writeFileSync(args.out, JSON.stringify(result, null, 2));
  console.log(JSON.stringify(result));
  process.exit(0);
}

const loadStart = performance.now();
const extractor = await pipeline('feature-extraction', path.basename(modelDir), { dtype: 'fp32' });
const loadMs = performance.now() - loadStart;
const tokenizer = extractor.tokenizer;
// sentence-transformers truncates at max_seq_length (256 for all-MiniLM-L6-v2), not at the tokenizer's 512: match it so
// both sides see the same tokens. transformers.js reads the limit from tokenizer_config.json only.
tokenizer._tokenizerConfig.model_max_length = args.maxLength;

const lengths = texts.map((text) => Math.min(tokenizer.encode(text).length, args.maxLength));
const truncatedTokens = lengths.reduce((a, b) => a + b, 0);

async function embedAll(batches) {
  const vectors = new Array(texts.length);
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  for (const batch of batches) {
    const output = await extractor(batch.map((i) => texts[i]), { pooling: 'mean', normalize: true });
    const [, dimension] = output.dims;
    for (let b = 0; b < batch.length; b++) {
      vectors[batch[b]] = output.data.subarray(b * dimension, (b + 1) * dimension);
    }
  }
  return { ms: performance.now() - start, cpuMs: cpuMs(cpuStart), vectors };
}

const arrival = [];
for (let i = 0; i < texts.length; i += args.batch) {
  arrival.push(Array.from({ length: Math.min(args.batch, texts.length - i) }, (_, k) => i + k));
}

// The same plan as the library's TokenBudgetBatcher: descending length, ties by index, count = budget / longest.
const order = texts.map((_, i) => i).sort((a, b) => lengths[b] - lengths[a] || a - b);
const sorted = [];
for (let start = 0; start < order.length;) {
  const count = Math.min(Math.max(1, Math.floor(args.budget / lengths[order[start]])), order.length - start);
  sorted.push(order.slice(start, start + count));
  start += count;
}

const paddedTokens = (batches) => batches.reduce((sum, batch) => sum + batch.length * Math.max(...batch.map((i) => lengths[i])), 0);

await embedAll(arrival.slice(0, 2)); // warm-up: first runs allocate the arena and JIT the JS paths
const arrivalRun = await embedAll(arrival);
const sortedRun = await embedAll(sorted);

const dimension = arrivalRun.vectors[0].length;
if (args.vectors) {
  const flat = new Float32Array(texts.length * dimension);
  arrivalRun.vectors.forEach((v, i) => flat.set(v, i * dimension));
  mkdirSync(path.dirname(path.resolve(args.vectors)), { recursive: true });
  writeFileSync(args.vectors, Buffer.from(flat.buffer));
}

const result = {
  ...versions,
  loadAverage: os.loadavg()[0],
  texts: texts.length,
  dimension,
  maxLength: args.maxLength,
  loadMs,
  truncatedTokens,
  arrival: { batch: args.batch, batches: arrival.length, paddedTokens: paddedTokens(arrival), ms: arrivalRun.ms, cpuMs: arrivalRun.cpuMs },
  sorted: { budget: args.budget, batches: sorted.length, paddedTokens: paddedTokens(sorted), ms: sortedRun.ms, cpuMs: sortedRun.cpuMs },
};
mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
writeFileSync(args.out, JSON.stringify(result, null, 2));
console.log(JSON.stringify(result));
