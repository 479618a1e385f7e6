using System.Diagnostics;
using System.Globalization;
using System.Text;
using Embeddings.Inference;
using Embeddings.Text;
using Embeddings.Tokenization;

namespace Embeddings.Benchmarks.Runners;

/// <summary>Pushes the floor: ONNX Runtime session options over identical length-sorted batches, then the library's token budget.</summary>
/// <remarks>Each configuration runs once per round, configurations round-robin, and the best round counts, so slow drifts in machine load spread over all of them.</remarks>
internal static class SweepRunner
{
    private const string HiddenOutput = "last_hidden_state";
    private static readonly int[] Budgets = [256, 512, 768, 1024, 2048, 4096, 8192];

    /// <summary>Runs the sweep and prints (and with --write stores) the Markdown section.</summary>
    public static int Run(RunnerArguments args)
    {
        MachineInfo machine = MachineInfo.Read();
        // A quarter of the corpus by default keeps 14 configurations × 2 rounds within minutes; the mix is the same.
        string[] texts = BenchmarkCorpus.Load(args.Integer("limit", 1000));
        int rounds = args.Integer("rounds", 2);
        string folder = BenchmarkPaths.BenchModel("minilm-l6");
        string modelFile = Path.Combine(folder, "onnx", "model.onnx");
        BertTokenizer tokenizer = BertTokenizer.FromDirectory(folder);
        (int[][] ids, int[][] types) = PaddedBatches.Tokenize(tokenizer, texts, 256);
        PaddedBatches batches = PaddedBatches.Build(ids, types, PaddedBatches.BudgetLayout(ids, 2048), withTokenTypes: true);
        double flops = batches.Flops(BertFlops.MiniLmL6);
        double loadBefore = MachineInfo.LoadAverage();

        // The optimized-model cache: ONNX Runtime writes the graph after its optimizations once, and later sessions load
        // that file with optimizations off, which shortens session creation.
        string optimizedFile = Path.Combine(BenchmarkPaths.Results, "minilm-l6.optimized.onnx");
        Directory.CreateDirectory(BenchmarkPaths.Results);
        InferenceSession.Create(modelFile, new InferenceOptions { OptimizedModelPath = optimizedFile }).Dispose();

        (string Name, InferenceOptions Options, string File)[] sessions =
        [
            ("defaults (intra-op 0 = one per core, spinning on, graph All, arena on)", new InferenceOptions(), modelFile),
            ("intra-op threads 1", new InferenceOptions { IntraOpThreads = 1 }, modelFile),
            ("intra-op threads 2", new InferenceOptions { IntraOpThreads = 2 }, modelFile),
            ("spinning off", new InferenceOptions { AllowSpinning = false }, modelFile),
            ("intra-op threads 1, spinning off", new InferenceOptions { IntraOpThreads = 1, AllowSpinning = false }, modelFile),
            ("graph optimization Extended", new InferenceOptions { GraphOptimizationLevel = GraphOptimizationLevel.Extended }, modelFile),
            ("graph optimization Basic", new InferenceOptions { GraphOptimizationLevel = GraphOptimizationLevel.Basic }, modelFile),
            ("graph optimization Disabled", new InferenceOptions { GraphOptimizationLevel = GraphOptimizationLevel.Disabled }, modelFile),
            ("CPU memory arena off", new InferenceOptions { EnableCpuMemoryArena = false }, modelFile),
            ("optimized-model cache (the All-optimized graph saved once, loaded with optimization Disabled)", new InferenceOptions { GraphOptimizationLevel = GraphOptimizationLevel.Disabled }, optimizedFile),
        ];

        var sessionBest = new double[sessions.Length];
        var loadBest = new double[sessions.Length];
        Array.Fill(loadBest, double.MaxValue);
        var budgetBest = new double[Budgets.Length];
        Array.Fill(sessionBest, double.MaxValue);
        Array.Fill(budgetBest, double.MaxValue);
        for (int round = 0; round < rounds; round++)
        {
            for (int s = 0; s < sessions.Length; s++)
            {
                long created = Stopwatch.GetTimestamp();
                using InferenceSession session = InferenceSession.Create(sessions[s].File, sessions[s].Options);
                loadBest[s] = Math.Min(loadBest[s], Stopwatch.GetElapsedTime(created).TotalMilliseconds);
                batches.Run(session, 0, HiddenOutput);
                batches.Run(session, batches.Count - 1, HiddenOutput);
                double seconds = batches.RunAll(session, HiddenOutput).Wall;
                sessionBest[s] = Math.Min(sessionBest[s], seconds);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round + 1}: {sessions[s].Name}: {seconds:F2} s, {flops / seconds / 1e9:F1} GFLOP/s (load {MachineInfo.LoadAverage():F1})"));
            }

            for (int b = 0; b < Budgets.Length; b++)
            {
                using TextEmbedder embedder = TextEmbedder.Create(folder, new TextEmbedderOptions { BatchTokenBudget = Budgets[b] });
                embedder.Embed(BenchmarkCorpus.Sample(texts, 64));
                long start = Stopwatch.GetTimestamp();
                embedder.Embed(texts);
                double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                budgetBest[b] = Math.Min(budgetBest[b], seconds);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round + 1}: budget {Budgets[b]}: {seconds:F2} s, {texts.Length / seconds:F1} texts/s (load {MachineInfo.LoadAverage():F1})"));
            }
        }

        var report = new StringBuilder();
        report.Append(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC by `bench/side_by_side.sh --sweep`; best of {rounds} round-robin rounds; load average {loadBefore:F1} before, {MachineInfo.LoadAverage():F1} after.\n\n");
        report.Append(machine.Describe());
        report.Append(CultureInfo.InvariantCulture, $"- {texts.Length} corpus texts, minilm-l6, max length 256, {batches.Count} length-sorted batches of ≤ 2,048 padded tokens ({batches.PaddedTokens} tokens, {flops / 1e9:F1} GFLOP)\n\n");
        report.Append("**Session options** (raw `InferenceSession.Run` over the identical batches)\n\n| Session options | Session creation ms | Seconds | Texts/s | GFLOP/s | % of peak | vs defaults |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (int s = 0; s < sessions.Length; s++)
        {
            double gflops = flops / sessionBest[s] / 1e9;
            report.Append(CultureInfo.InvariantCulture, $"| {sessions[s].Name} | {loadBest[s]:F0} | {sessionBest[s]:F2} | {texts.Length / sessionBest[s]:F1} | {gflops:F1} | {100 * gflops / machine.PeakGflops:F1}% | {sessionBest[0] / sessionBest[s]:F2}× |\n");
        }

        report.Append("\n**Token budget** (`TextEmbedderOptions.BatchTokenBudget`, library end to end, one `Embed` call over the texts)\n\n| Budget | Batches | Padded tokens | Seconds | Texts/s | GFLOP/s | vs default |\n|---:|---:|---:|---:|---:|---:|---:|\n");
        int reference = Array.IndexOf(Budgets, TokenBudgetBatcher.DefaultTokenBudget);
        for (int b = 0; b < Budgets.Length; b++)
        {
            PaddedBatches layout = PaddedBatches.Build(ids, types, PaddedBatches.BudgetLayout(ids, Budgets[b]), withTokenTypes: true);
            double gflops = layout.Flops(BertFlops.MiniLmL6) / budgetBest[b] / 1e9;
            report.Append(CultureInfo.InvariantCulture, $"| {Budgets[b]} | {layout.Count} | {layout.PaddedTokens} | {budgetBest[b]:F2} | {texts.Length / budgetBest[b]:F1} | {gflops:F1} | {budgetBest[reference] / budgetBest[b]:F2}× |\n");
        }

        string markdown = report.ToString();
        ReportSection.Publish("sweep", markdown, args);

        return 0;
    }
}
