using BenchmarkDotNet.Running;
using Embeddings.Benchmarks.Runners;

namespace Embeddings.Benchmarks;

/// <summary>Entry point: a runner mode by name, or BenchmarkDotNet's switcher for everything else.</summary>
internal static class Program
{
    private const string Usage =
        "usage: Embeddings.Benchmarks <mode> [options]\n" +
        "  tokenizer [--tjs FILE] [--limit N] [--passes N (10)] [--write]          single-thread tokenizer vs transformers.js's\n" +
        "  side-by-side [--tjs FILE] [--tjs-vectors FILE] [--limit N] [--write]  library vs raw ONNX Runtime vs transformers.js, images\n" +
        "  image-side-by-side [--rounds N (12)] [--reps N (3)] [--python PATH] [--write]  decode + preprocess vs Pillow, interleaved\n" +
        "  sweep [--limit N (1000)] [--rounds N (2)] [--write]                   session options and token budgets on the floor\n" +
        "  memory [--texts N (100000)] [--every N (5000)] [--max-length N (16)] [--write]  RSS while streaming through EmbedStreamAsync\n" +
        "  decode-dump --in DIR --out DIR [--scalar]                            decode every file to raw RGB (models/scripts/decoder_sweep.py)\n" +
        "  [BenchmarkDotNet arguments, e.g. --filter '*']                         the BenchmarkDotNet suite (ShortRun, in-process)";

    private static async Task<int> Main(string[] args)
    {
        string mode = args.Length > 0 ? args[0] : string.Empty;
        switch (mode)
        {
            case "tokenizer":
                return TokenizerRunner.Run(new RunnerArguments(args[1..]));
            case "side-by-side":
                return SideBySideRunner.Run(new RunnerArguments(args[1..]));
            case "image-side-by-side":
                return ImageSideBySideRunner.Run(new RunnerArguments(args[1..]));
            case "sweep":
                return SweepRunner.Run(new RunnerArguments(args[1..]));
            case "memory":
                return await MemoryRunner.RunAsync(new RunnerArguments(args[1..])).ConfigureAwait(false);
            case "decode-dump":
                return DecodeDumpRunner.Run(new RunnerArguments(args[1..]));
            case "-h" or "--help" or "help":
                Console.WriteLine(Usage);
                return 0;
            default:
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, ShortRunConfig.Create());
                return 0;
        }
    }
}
