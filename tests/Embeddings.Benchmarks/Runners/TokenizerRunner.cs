using System.Globalization;
using System.Text;
using Embeddings.Tokenization;
using static Embeddings.Benchmarks.Runners.RunnerText;

namespace Embeddings.Benchmarks.Runners;

/// <summary>
/// Times the library's tokenizer single-threaded on the corpus, with the protocol bench/transformersjs.mjs applies to
/// transformers.js's, and compares the two (issue 4's target: at least 20× transformers.js).
/// </summary>
/// <remarks>
/// Protocol, the same on both sides: every text encoded with special tokens and no truncation; warm-up passes until at
/// least 3 passes and 1 s have gone by (the JIT compilers settle: .NET promotes hot methods to optimized code only after
/// ~100 ms of calls, so a pass or two would time unoptimized code); then timed passes, the best one reported. The
/// library's three entry points run round-robin within each pass so that load from other processes falls on all alike.
/// </remarks>
internal static class TokenizerRunner
{
    private const double WarmUpSeconds = 1.0;
    private const int MinimumWarmUpPasses = 3;

    /// <summary>Runs the comparison and prints (and with --write stores) the Markdown section.</summary>
    public static int Run(RunnerArguments args)
    {
        MachineInfo machine = MachineInfo.Read();
        string[] texts = BenchmarkCorpus.Load(args.Integer("limit", 0));
        int passes = args.Integer("passes", 10);
        TransformersJsTokenizer? tjs = args.Text("tjs") is { } tjsPath ? TransformersJsTokenizer.Read(tjsPath) : null;
        if (tjs is not null && tjs.Texts != texts.Length)
        {
            throw new InvalidDataException($"transformers.js measured {tjs.Texts} texts but this run has {texts.Length}; use the same --limit.");
        }

        double loadBefore = MachineInfo.LoadAverage();
        Log($"corpus: {texts.Length} texts; load average {loadBefore:F1}");
        Numbers n = Measure(BertTokenizer.FromDirectory(BenchmarkPaths.BenchModel("minilm-l6")), texts, passes);
        double loadAfter = MachineInfo.LoadAverage();
        Log($"tokenizer: {n.Tokens} tokens; best pass {n.Tokens / n.Allocating.Best.Wall:F0} tokens/s allocating, {n.Tokens / n.Buffers.Best.Wall:F0} into caller buffers, {n.Tokens / n.IdsOnly.Best.Wall:F0} ids only");

        var report = new StringBuilder();
        report.Append(Line($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC by `bench/side_by_side.sh --tokenizer-only` (also part of the full run). Load average (1 min) {loadBefore:F1} before the C# part, {loadAfter:F1} after{(tjs is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $", {tjs.LoadAverage:F1} at the end of the transformers.js part"))}: on 2 cores anything above ~2 means other processes competed for the CPU, which stretches wall times; CPU seconds are reported beside them."));
        report.Append('\n');
        report.Append(machine.Describe());
        if (tjs is not null)
        {
            report.Append(Line($"- Node {tjs.Node}, transformers.js {tjs.Version}"));
        }

        report.Append(Line($"- Tokenizer: models/bench/minilm-l6 (all-MiniLM-L6-v2's, uncased WordPiece, 30,522 pieces); corpus: bench/corpus/corpus.jsonl, {texts.Length} texts"));
        report.Append(Line($"- Protocol (both sides): every text with special tokens, no truncation; warm-up until ≥ {MinimumWarmUpPasses} passes and ≥ {WarmUpSeconds:F0} s ({n.WarmUpPasses} passes here{(tjs?.WarmUpPasses is int w ? string.Create(CultureInfo.InvariantCulture, $", {w} for transformers.js") : string.Empty)}), then {passes} timed passes; best pass, median beside it. Single thread; CPU = the thread's CPU time (transformers.js: the process's, V8's collector threads included)."));
        report.Append('\n');
        report.Append("| Tokenizer | Tokens | Best pass s | CPU s | Tokens/s | Tokens/s, median pass | Tokens per CPU-second | Allocated per pass | vs transformers.js (wall / CPU) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        report.Append(Row("Embeddings `Encode(string)` → TokenizedText", n.Tokens, n.Allocating, $"{n.Allocating.Bytes / 1048576.0:F1} MB", tjs));
        report.Append(Row("Embeddings `Encode(span, ids, offsets, out truncated)` into caller buffers", n.Tokens, n.Buffers, $"{n.Buffers.Bytes:N0} B", tjs));
        report.Append(Row("Embeddings `Encode(span, ids)` into a caller buffer", n.Tokens, n.IdsOnly, $"{n.IdsOnly.Bytes:N0} B", tjs));
        if (tjs is not null)
        {
            report.Append(Line($"| transformers.js `tokenizer.encode(text)` | {tjs.Tokens} | {tjs.Best.Wall:F4} | {tjs.Best.Cpu:F4} | {tjs.Tokens / tjs.Best.Wall:N0} | {(tjs.MedianWall is double m ? (tjs.Tokens / m).ToString("N0", CultureInfo.InvariantCulture) : string.Empty)} | {tjs.Tokens / tjs.Best.Cpu:N0} | | 1 |"));
            report.Append('\n');
            report.Append(tjs.Tokens == n.Tokens
                ? "Both tokenizers produce the same total token count.\n"
                : Line($"**Token totals differ** (Embeddings {n.Tokens}, transformers.js {tjs.Tokens}): investigate before trusting the ratios.\n"));
            report.Append(Line($"\nTarget (issue 4): single-thread throughput ≥ 20× transformers.js. Caller buffers: {tjs.Best.Wall / n.Buffers.Best.Wall:F1}× by wall time, {tjs.Best.Cpu / n.Buffers.Best.Cpu:F1}× by CPU time; `Encode(string)`: {tjs.Best.Wall / n.Allocating.Best.Wall:F1}× / {tjs.Best.Cpu / n.Allocating.Best.Cpu:F1}×."));
            if (tjs.FirstPassWall is double first)
            {
                report.Append(Line($"\nFirst pass, before any warm-up (JIT compilation included): Embeddings `Encode(string)` {n.FirstPass.Wall:F3} s, transformers.js {first:F3} s."));
            }
        }
        else
        {
            report.Append(Line($"\nFirst pass, before any warm-up (JIT compilation included): Embeddings `Encode(string)` {n.FirstPass.Wall:F3} s."));
        }

        string markdown = report.ToString();
        ReportSection.Publish("tokenizer", markdown, args);

        return 0;
    }

    private static Numbers Measure(BertTokenizer tokenizer, string[] texts, int passes)
    {
        var ids = new int[1 << 16];
        var offsets = new TokenOffset[ids.Length];
        long tokens = 0;
        Timing first = Timing.Thread(() =>
        {
            foreach (string text in texts)
            {
                tokens += tokenizer.Encode(text).Count;
            }
        });

        long Allocating()
        {
            long counted = 0;
            foreach (string text in texts)
            {
                counted += tokenizer.Encode(text).Count;
            }

            return counted;
        }

        long Buffers()
        {
            long counted = 0;
            foreach (string text in texts)
            {
                counted += tokenizer.Encode(text, ids, offsets, out _);
            }

            return counted;
        }

        long IdsOnly()
        {
            long counted = 0;
            foreach (string text in texts)
            {
                counted += tokenizer.Encode(text, ids);
            }

            return counted;
        }

        Func<long>[] methods = [Allocating, Buffers, IdsOnly];
        int warmUp = 1;
        long warmUpStart = System.Diagnostics.Stopwatch.GetTimestamp();
        while (warmUp < MinimumWarmUpPasses || System.Diagnostics.Stopwatch.GetElapsedTime(warmUpStart).TotalSeconds < WarmUpSeconds)
        {
            foreach (Func<long> method in methods)
            {
                Check(method() == tokens, "a warm-up pass counted a different total");
            }

            warmUp++;
        }

        var results = new List<(Timing Timing, long Bytes)>[methods.Length];
        for (int m = 0; m < methods.Length; m++)
        {
            results[m] = [];
        }

        for (int pass = 0; pass < passes; pass++)
        {
            for (int m = 0; m < methods.Length; m++)
            {
                // Rotate the order so that no method always runs right after the same one.
                int k = (m + pass) % methods.Length;
                long counted = 0;
                long bytes = 0;
                Func<long> method = methods[k];
                Timing timing = Timing.Thread(() =>
                {
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    counted = method();
                    bytes = GC.GetAllocatedBytesForCurrentThread() - before;
                });
                results[k].Add((timing, bytes));
                Check(counted == tokens, "a timed pass counted a different total");
            }
        }

        return new Numbers(tokens, first, warmUp, Summarize(results[0]), Summarize(results[1]), Summarize(results[2]));
    }

    private static Passes Summarize(List<(Timing Timing, long Bytes)> passes)
    {
        Timing best = Timing.Zero;
        foreach ((Timing timing, _) in passes)
        {
            best = Timing.Best(best, timing);
        }

        double[] walls = [.. passes.Select(p => p.Timing.Wall).Order()];
        return new Passes(best, walls[walls.Length / 2], passes.Max(p => p.Bytes));
    }

    private static string Row(string name, long tokens, Passes p, string allocated, TransformersJsTokenizer? tjs) =>
        Line($"| {name} | {tokens} | {p.Best.Wall:F4} | {p.Best.Cpu:F4} | {tokens / p.Best.Wall:N0} | {tokens / p.MedianWall:N0} | {tokens / p.Best.Cpu:N0} | {allocated} | {(tjs is null ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{tjs.Best.Wall / p.Best.Wall:F1}× / {tjs.Best.Cpu / p.Best.Cpu:F1}×"))} |");

    private sealed record Passes(Timing Best, double MedianWall, long Bytes);

    private sealed record Numbers(long Tokens, Timing FirstPass, int WarmUpPasses, Passes Allocating, Passes Buffers, Passes IdsOnly);
}
