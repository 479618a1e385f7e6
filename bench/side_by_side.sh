#!/usr/bin/env bash
# Side-by-side performance run (issues 4 and 7): this library vs raw ONNX Runtime vs transformers.js on the same model
# file and the same 4,000-text corpus — the tokenizer alone, then text embedding — plus image preprocessing vs
# ViT-B/16; writes the generated sections of BENCHMARKS.md.
#
#   bench/side_by_side.sh [--tokenizer-only | --images] [--limit N] [--reuse-tjs] [--sweep] [--memory] [--memory-texts N] [--no-write]
#
#   --tokenizer-only  only the single-thread tokenizer comparison (about a minute; skips models/bench/vit-b16 and the photo)
#   --images          only image decode + preprocess vs Pillow on the same files, interleaved (~1 min; needs Pillow);
#                     the full run does this last
#   --limit N         only the first N corpus texts (quick check; default all 4,000)
#   --reuse-tjs       keep bench/results/transformersjs.* from an earlier run of the same corpus (saves its ~15 min)
#   --sweep           also sweep ONNX Runtime session options and token budgets (a few more minutes)
#   --memory          also stream 100,000 texts through EmbedStreamAsync and sample RSS (~6 minutes idle)
#   --no-write        print the sections without touching BENCHMARKS.md
#
# Needs: the .NET 10 SDK, Node 18+, /usr/bin/python3 with torch (only to generate models/bench/ when missing) and
# Pillow (only to generate the test photo when missing). transformers.js comes from bench/node_modules
# ((cd bench && npm install --ignore-scripts), which installs @huggingface/transformers@4.3.1 from package.json) or from
# TRANSFORMERS_JS_NODE_MODULES (a node_modules folder that has it).
set -euo pipefail
self="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
root="$(dirname "$(dirname "$self")")"
cd "$root"

limit=()
tokenizer_only=0
images_only=0
sweep=0
reuse_tjs=0
memory=0
memory_texts=100000
write=(--write)
while [ $# -gt 0 ]; do
  case "$1" in
    --tokenizer-only) tokenizer_only=1; shift ;;
    --images) images_only=1; shift ;;
    --limit) limit=(--limit "$2"); shift 2 ;;
    --reuse-tjs) reuse_tjs=1; shift ;;
    --sweep) sweep=1; shift ;;
    --memory) memory=1; shift ;;
    --memory-texts) memory_texts="$2"; shift 2 ;;
    --no-write) write=(); shift ;;
    -h|--help) sed -n '2,22p' "$self"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

run_images() {
  echo "== test images (bench/data, git-ignored)"
  /usr/bin/python3 bench/image_side_by_side.py make-data
  echo "== image decode + preprocess: Embeddings vs Pillow, interleaved"
  dotnet tests/Embeddings.Benchmarks/bin/Release/net10.0/Embeddings.Benchmarks.dll image-side-by-side --rounds 20 --reps 3 "${write[@]}"
}

if [ "$images_only" = 1 ]; then
  echo "== building tests/Embeddings.Benchmarks (Release)"
  dotnet build tests/Embeddings.Benchmarks -c Release --nologo -v quiet
  run_images
  exit 0
fi

if [ "$tokenizer_only" = 1 ]; then
  needed=(models/bench/minilm-l6/tokenizer.json)
else
  needed=(models/bench/minilm-l6/onnx/model.onnx models/bench/vit-b16/onnx/model.onnx)
fi
for file in "${needed[@]}"; do
  if [ ! -f "$file" ]; then
    echo "== generating models/bench (random weights, real shapes)"
    /usr/bin/python3 models/generate.py --only bench
    break
  fi
done
if [ "$tokenizer_only" = 0 ] && [ ! -f bench/data/photo-1500x1000.jpg ]; then
  /usr/bin/python3 bench/make_photo.py
fi
if [ ! -d bench/node_modules/@huggingface/transformers ] && [ -z "${TRANSFORMERS_JS_NODE_MODULES:-}" ]; then
  if [ -d /opt/oracle/node_modules/@huggingface/transformers ]; then
    export TRANSFORMERS_JS_NODE_MODULES=/opt/oracle/node_modules
  else
    (cd bench && npm install --ignore-scripts --no-audit --no-fund)
  fi
fi

echo "== building tests/Embeddings.Benchmarks (Release)"
dotnet build tests/Embeddings.Benchmarks -c Release --nologo -v quiet
runner=(dotnet tests/Embeddings.Benchmarks/bin/Release/net10.0/Embeddings.Benchmarks.dll)
mkdir -p bench/results

# The tokenizers first, back to back, so both sides see about the same machine load.
echo "== transformers.js tokenizer alone"
node bench/transformersjs.mjs --model models/bench/minilm-l6 --corpus bench/corpus/corpus.jsonl \
  --out bench/results/transformersjs-tokenizer.json --tokenizer-only "${limit[@]}" > /dev/null
echo "== Embeddings tokenizer"
"${runner[@]}" tokenizer --tjs bench/results/transformersjs-tokenizer.json "${limit[@]}" "${write[@]}"
if [ "$tokenizer_only" = 1 ]; then
  exit 0
fi

if [ "$reuse_tjs" = 1 ] && [ -f bench/results/transformersjs.json ] && [ -f bench/results/transformersjs.f32 ]; then
  echo "== transformers.js: reusing bench/results/transformersjs.json"
else
  echo "== transformers.js (feature-extraction, fp32, mean pooling + normalize, batch 32)"
  node bench/transformersjs.mjs --model models/bench/minilm-l6 --corpus bench/corpus/corpus.jsonl \
    --out bench/results/transformersjs.json --vectors bench/results/transformersjs.f32 "${limit[@]}" > /dev/null
fi
echo "== Embeddings and raw ONNX Runtime"
"${runner[@]}" side-by-side --tjs bench/results/transformersjs.json --tjs-vectors bench/results/transformersjs.f32 "${limit[@]}" "${write[@]}"
if [ "$sweep" = 1 ]; then
  echo "== session options and token budgets"
  "${runner[@]}" sweep "${limit[@]}" "${write[@]}"
fi
if [ "$memory" = 1 ]; then
  echo "== memory while streaming"
  "${runner[@]}" memory --texts "$memory_texts" "${write[@]}"
fi
run_images
