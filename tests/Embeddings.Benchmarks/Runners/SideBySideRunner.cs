using System.Diagnostics;
using System.Globalization;
using System.Text;
using Embeddings.Imaging;
using Embeddings.Inference;
using Embeddings.Text;
using Embeddings.Tokenization;
using Embeddings.Vision;
using static Embeddings.Benchmarks.Runners.RunnerText;

namespace Embeddings.Benchmarks.Runners;

/// <summary>
/// Times, in one process and on the same model file and inputs: the library end to end (<see cref="TextEmbedder"/>)
/// and raw ONNX Runtime runs over identical pre-tokenized batches (the floor), and compares them with transformers.js
/// numbers from bench/transformersjs.mjs; then image preprocessing against ViT-B/16. The tokenizer has its own runner
/// (<see cref="TokenizerRunner"/>).
/// </summary>
/// <remarks>
/// The library and the floor are measured batch by batch, alternating which goes first, so load from other processes
/// falls on both alike. Every timing carries CPU seconds beside wall seconds: on a busy machine CPU time is what other
/// processes cannot inflate, so ratios are reported both ways together with the load average.
/// </remarks>
internal static class SideBySideRunner
{
    private const int ArrivalBatch = 32;
    private const int TokenBudget = 2048;
    private const string HiddenOutput = "last_hidden_state";

    /// <summary>Runs the comparison and prints (and with --write stores) the Markdown section.</summary>
    public static int Run(RunnerArguments args)
    {
        MachineInfo machine = MachineInfo.Read();
        string[] texts = BenchmarkCorpus.Load(args.Integer("limit", 0));
        string folder = BenchmarkPaths.BenchModel("minilm-l6");
        TransformersJsResult? tjs = args.Text("tjs") is { } tjsPath ? TransformersJsResult.Read(tjsPath) : null;
        if (tjs is not null && tjs.Texts != texts.Length)
        {
            throw new InvalidDataException($"transformers.js measured {tjs.Texts} texts but this run has {texts.Length}; use the same --limit.");
        }

        double loadBefore = MachineInfo.LoadAverage();
        Log($"corpus: {texts.Length} texts; load average {loadBefore:F1}");
        TextNumbers text = TimeText(folder, texts, tjs, args.Text("tjs-vectors"));
        ImageNumbers? image = args.Has("no-image") ? null : TimeImage(args.Integer("image-runs", 15));
        double loadAfter = MachineInfo.LoadAverage();

        var report = new StringBuilder();
        report.Append(Line($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC by `bench/side_by_side.sh`. Load average (1 min) {loadBefore:F1} before the C# part, {loadAfter:F1} after{(tjs is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $", {tjs.LoadAverage:F1} at the end of the transformers.js part"))}: on 2 cores anything above ~2 means other processes competed for the CPU, which stretches wall times; CPU seconds are reported beside them because competition barely changes those."));
        report.Append('\n');
        report.Append(machine.Describe());
        if (tjs is not null)
        {
            report.Append(Line($"- Node {tjs.Node}, transformers.js {tjs.Version} (onnxruntime-node {tjs.OnnxRuntimeNode})"));
        }

        report.Append(Line($"- Model: models/bench/minilm-l6 (all-MiniLM-L6-v2 shape, fp32, max_seq_length {text.MaxLength}); corpus: bench/corpus/corpus.jsonl, {texts.Length} texts, {text.UsefulTokens} tokens after truncation"));
        report.Append('\n');
        AppendText(report, text, tjs, machine);
        if (image is not null)
        {
            AppendImage(report, image, machine, args.Integer("image-runs", 15));
        }

        string markdown = report.ToString();
        ReportSection.Publish("side-by-side", markdown, args);

        return 0;
    }

    private static TextNumbers TimeText(string folder, string[] texts, TransformersJsResult? tjs, string? tjsVectorsPath)
    {
        // One batch per call: a budget no 32 texts of at most 512 tokens can exceed, so the library runs the same shapes as the floor.
        using TextEmbedder library = TextEmbedder.Create(folder, new TextEmbedderOptions { BatchTokenBudget = ArrivalBatch * 512 });
        int maxLength = library.Settings.MaxLength;
        using InferenceSession session = InferenceSession.Create(library.Settings.ModelFile);
        bool withTypes = session.Inputs.Any(input => input.Name == "token_type_ids");
        BertTokenizer tokenizer = BertTokenizer.FromDirectory(folder);
        (int[][] ids, int[][] types) = PaddedBatches.Tokenize(tokenizer, texts, maxLength, out bool[] truncated);
        PaddedBatches arrival = PaddedBatches.Build(ids, types, PaddedBatches.ArrivalLayout(texts.Length, ArrivalBatch), withTypes);
        PaddedBatches sorted = PaddedBatches.Build(ids, types, PaddedBatches.BudgetLayout(ids, TokenBudget), withTypes);
        foreach (PaddedBatches batches in new[] { sorted, arrival })
        {
            for (int b = 0; b < Math.Min(3, batches.Count); b++)
            {
                library.Embed(TextsOf(texts, batches.Members[b]));
                batches.Run(session, b, HiddenOutput);
            }
        }

        Log($"arrival order, batch {ArrivalBatch}: {arrival.Count} batches, {arrival.PaddedTokens} padded tokens");
        var vectors = new float[texts.Length * library.Dimension];
        (Timing arrivalLibrary, Timing arrivalFloor) = Interleave(library, session, texts, arrival, vectors);
        Log($"  library {arrivalLibrary}, floor {arrivalFloor}");
        Log($"length-sorted, budget {TokenBudget}: {sorted.Count} batches, {sorted.PaddedTokens} padded tokens");
        (Timing sortedLibrary, Timing sortedFloor) = Interleave(library, session, texts, sorted, null);
        Log($"  library {sortedLibrary}, floor {sortedFloor}");

        Timing whole = Timing.Zero;
        Timing perCall = Timing.Zero;
        using (TextEmbedder defaults = TextEmbedder.Create(folder))
        {
            defaults.Embed(TextsOf(texts, sorted.Members[0]));
            for (int pass = 0; pass < 2; pass++)
            {
                whole = Timing.Best(whole, Timing.Process(() => Check(defaults.Embed(texts).Count == texts.Length, "the embedder returned a different count")));
            }

            Log($"library, one Embed call over the corpus (default budget {TokenBudgetBatcher.DefaultTokenBudget}): {whole}");
            perCall = Timing.Process(() =>
            {
                foreach (string[] chunk in texts.Chunk(ArrivalBatch))
                {
                    defaults.Embed(chunk);
                }
            });
            Log($"library, one Embed call per {ArrivalBatch} texts in arrival order (default budget {TokenBudgetBatcher.DefaultTokenBudget}): {perCall}");
        }

        PaddedBatches chunked = PaddedBatches.Build(ids, types, PaddedBatches.ChunkedBudgetLayout(ids, ArrivalBatch, TokenBudgetBatcher.DefaultTokenBudget), withTypes);
        PaddedBatches plan = PaddedBatches.Build(ids, types, PaddedBatches.BudgetLayout(ids, TokenBudgetBatcher.DefaultTokenBudget), withTypes);
        (VectorAgreement Fits, VectorAgreement Truncated)? agreement = null;
        if (tjs is not null && tjsVectorsPath is not null)
        {
            float[] theirs = tjs.ReadVectors(tjsVectorsPath);
            bool[] fits = Array.ConvertAll(truncated, cut => !cut);
            agreement = (VectorAgreement.Compare(vectors, theirs, library.Dimension, fits), VectorAgreement.Compare(vectors, theirs, library.Dimension, truncated));
            Log($"vectors vs transformers.js, untruncated texts: {agreement.Value.Fits}; truncated texts: {agreement.Value.Truncated}");
        }

        return new TextNumbers(maxLength, arrival, sorted, chunked, plan, arrivalLibrary, arrivalFloor, sortedLibrary, sortedFloor, whole, perCall, agreement, arrival.UsefulTokens);
    }

    /// <summary>Runs every batch once through the library and once through the floor, alternating which goes first.</summary>
    private static (Timing Library, Timing Floor) Interleave(TextEmbedder library, InferenceSession session, string[] texts, PaddedBatches batches, float[]? vectors)
    {
        Timing libraryTotal = Timing.Zero;
        Timing floorTotal = Timing.Zero;
        for (int b = 0; b < batches.Count; b++)
        {
            if (b % 2 == 1)
            {
                floorTotal += batches.Run(session, b, HiddenOutput);
            }

            string[] chunk = TextsOf(texts, batches.Members[b]);
            EmbeddingBatch? embedded = null;
            libraryTotal += Timing.Process(() => embedded = library.Embed(chunk));
            if (b % 2 == 0)
            {
                floorTotal += batches.Run(session, b, HiddenOutput);
            }

            if (vectors is not null)
            {
                for (int i = 0; i < chunk.Length; i++)
                {
                    embedded![i].CopyTo(vectors.AsSpan(batches.Members[b][i] * embedded.Dimension, embedded.Dimension));
                }
            }
        }

        return (libraryTotal, floorTotal);
    }

    private static ImageNumbers TimeImage(int runs)
    {
        const int Repeats = 4;
        const int Batch = 4;
        string folder = BenchmarkPaths.BenchModel("vit-b16");
        string photo = BenchmarkPaths.RequirePhoto();
        byte[] jpeg = File.ReadAllBytes(photo);
        ImagePreprocessor preprocessor = ImagePreprocessor.Load(Path.Combine(folder, "preprocessor_config.json"));
        using InferenceSession session = InferenceSession.Create(Path.Combine(folder, "onnx", "model.onnx"));
        using ImageEmbedder embedder = ImageEmbedder.Create(folder);
        var pixels = new float[preprocessor.OutputLength];
        var batchPixels = new float[Batch * preprocessor.OutputLength];
        TensorInput[] inputs = [TensorInput.Create("pixel_values", pixels.AsMemory(), 1, 3, preprocessor.OutputHeight, preprocessor.OutputWidth)];
        TensorInput[] batchInputs = [TensorInput.Create("pixel_values", batchPixels.AsMemory(), Batch, 3, preprocessor.OutputHeight, preprocessor.OutputWidth)];
        RgbImage image = ImageDecoder.Decode(jpeg, sourceName: photo);
        preprocessor.Process(image, pixels);
        for (int k = 0; k < Batch; k++)
        {
            pixels.CopyTo(batchPixels.AsSpan(k * preprocessor.OutputLength));
        }

        ImageInput input = ImageInput.FromBytes(jpeg, photo);
        ImageInput[] inputsOfBatch = [input, input, input, input];

        // Steady state, as in a service that embeds many images: run every stage until the JIT has optimized it
        // (tiered compilation promotes hot methods after ~30 calls) and ONNX Runtime has sized its buffers.
        long warmStart = Stopwatch.GetTimestamp();
        for (int k = 0; k < 40 || Stopwatch.GetElapsedTime(warmStart) < TimeSpan.FromSeconds(2); k++)
        {
            using RgbImage warm = ImageDecoder.Decode(jpeg, sourceName: photo, pooled: true);
            preprocessor.Process(warm, pixels);
            if (k % 8 == 0)
            {
                session.Run(inputs, [HiddenOutput]).Dispose();
                session.Run(batchInputs, [HiddenOutput]).Dispose();
                embedder.Embed(input);
                embedder.Embed(inputsOfBatch);
            }
        }

        // Every stage once per round, so a change in machine load during the section falls on all of them; the
        // median round counts. Decoding uses a pooled pixel buffer, as the embedders do.
        var decode = new List<Timing>();
        var preprocess = new List<Timing>();
        var model = new List<Timing>();
        var batched = new List<Timing>();
        var embedOne = new List<Timing>();
        var embedBatch = new List<Timing>();
        for (int run = 0; run < runs; run++)
        {
            decode.Add(Timing.Thread(() =>
            {
                for (int k = 0; k < Repeats; k++)
                {
                    ImageDecoder.Decode(jpeg, sourceName: photo, pooled: true).Dispose();
                }
            }) / Repeats);
            preprocess.Add(Timing.Thread(() =>
            {
                for (int k = 0; k < Repeats; k++)
                {
                    preprocessor.Process(image, pixels);
                }
            }) / Repeats);
            model.Add(Timing.Process(() => session.Run(inputs, [HiddenOutput]).Dispose()));
            batched.Add(Timing.Process(() => session.Run(batchInputs, [HiddenOutput]).Dispose()) / Batch);
            embedOne.Add(Timing.Process(() => embedder.Embed(input)));
            embedBatch.Add(Timing.Process(() => embedder.Embed(inputsOfBatch)) / Batch);
        }

        static Timing Median(List<Timing> timings) =>
            new(timings.Select(t => t.Wall).Order().ElementAt(timings.Count / 2), timings.Select(t => t.Cpu).Order().ElementAt(timings.Count / 2));

        var numbers = new ImageNumbers(image.Width, image.Height, jpeg.Length, Median(decode), Median(preprocess), Median(model), Median(batched), Batch, Median(embedOne), Median(embedBatch));
        Log($"image: {numbers}");
        return numbers;
    }

    private static void AppendText(StringBuilder report, TextNumbers n, TransformersJsResult? tjs, MachineInfo machine)
    {
        int count = n.Arrival.Members.Sum(m => m.Length);
        double arrivalFlops = n.Arrival.Flops(BertFlops.MiniLmL6);
        double sortedFlops = n.Sorted.Flops(BertFlops.MiniLmL6);
        report.Append("**Text embedding** (mean pooling + normalize, 384 dimensions; the library and the floor interleaved batch by batch; CPU = process CPU time, all threads)\n\n");
        report.Append("| Pipeline | Batching | Padded tokens | Seconds | CPU s | Texts/s | GFLOP/s | % of peak | GFLOP per CPU-second |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        if (tjs is not null)
        {
            report.Append(TextRow("transformers.js feature-extraction", $"arrival order, {ArrivalBatch}", tjs.ArrivalPaddedTokens, tjs.Arrival, count, arrivalFlops, machine));
            report.Append(TextRow("transformers.js feature-extraction", $"length-sorted, ≤ {TokenBudget} tokens", tjs.SortedPaddedTokens, tjs.Sorted, count, sortedFlops, machine));
        }

        report.Append(TextRow("Embeddings `TextEmbedder.Embed`, one call per batch", $"arrival order, {ArrivalBatch}", n.Arrival.PaddedTokens, n.ArrivalLibrary, count, arrivalFlops, machine));
        report.Append(TextRow("raw ONNX Runtime `Run` (floor)", $"arrival order, {ArrivalBatch}", n.Arrival.PaddedTokens, n.ArrivalFloor, count, arrivalFlops, machine));
        report.Append(TextRow("Embeddings `TextEmbedder.Embed`, one call per batch", $"length-sorted, ≤ {TokenBudget} tokens", n.Sorted.PaddedTokens, n.SortedLibrary, count, sortedFlops, machine));
        report.Append(TextRow("raw ONNX Runtime `Run` (floor)", $"length-sorted, ≤ {TokenBudget} tokens", n.Sorted.PaddedTokens, n.SortedFloor, count, sortedFlops, machine));
        report.Append(TextRow($"Embeddings `TextEmbedder.Embed`, {ArrivalBatch} texts per call, defaults", $"arrival order, {ArrivalBatch} per call, each call length-sorted ≤ {TokenBudgetBatcher.DefaultTokenBudget} tokens", n.Chunked.PaddedTokens, n.PerCall, count, n.Chunked.Flops(BertFlops.MiniLmL6), machine));
        report.Append(TextRow("**Embeddings `TextEmbedder.Embed(corpus)`**, one call, defaults", $"its own plan, length-sorted ≤ {TokenBudgetBatcher.DefaultTokenBudget} tokens (the default budget)", n.Plan.PaddedTokens, n.Whole, count, n.Plan.Flops(BertFlops.MiniLmL6), machine));
        report.Append(Line($"\nGFLOP/s counts padded tokens: per batch of B sequences padded to T, 6 layers × B × (2·T·(4·H² + 2·H·I) + 4·T²·H) with H = 384, I = 1536 ({arrivalFlops / 1e9:F0} GFLOP in arrival batches, {sortedFlops / 1e9:F0} GFLOP length-sorted). GFLOP per CPU-second divided by one core's peak ({machine.PeakGflops / machine.Cores:F0}) is the kernels' efficiency independent of load, with ONNX Runtime's spin-waiting counted as CPU time."));
        report.Append("\n| Ratio | Wall time | CPU time | Target |\n|---|---:|---:|---|\n");
        if (tjs is not null)
        {
            report.Append(Line($"| Throughput: Embeddings one call vs transformers.js arrival batch 32 | {tjs.Arrival.Wall / n.Whole.Wall:F1}× | {tjs.Arrival.Cpu / n.Whole.Cpu:F1}× | ≥ 6× |"));
            report.Append(Line($"| Throughput: Embeddings vs transformers.js, both called with {ArrivalBatch} texts at a time in arrival order | {tjs.Arrival.Wall / n.PerCall.Wall:F1}× | {tjs.Arrival.Cpu / n.PerCall.Cpu:F1}× | |"));
            report.Append(Line($"| Throughput: Embeddings vs transformers.js, both length-sorted ≤ {TokenBudget} (same batches: implementation only) | {tjs.Sorted.Wall / n.SortedLibrary.Wall:F2}× | {tjs.Sorted.Cpu / n.SortedLibrary.Cpu:F2}× | |"));
        }

        report.Append(Line($"| Library overhead over raw Run, arrival batches (1 − floor / library) | {Percent(n.ArrivalLibrary.Wall - n.ArrivalFloor.Wall, n.ArrivalLibrary.Wall)} | {Percent(n.ArrivalLibrary.Cpu - n.ArrivalFloor.Cpu, n.ArrivalLibrary.Cpu)} | ≤ 5% |"));
        report.Append(Line($"| Library overhead over raw Run, length-sorted batches | {Percent(n.SortedLibrary.Wall - n.SortedFloor.Wall, n.SortedLibrary.Wall)} | {Percent(n.SortedLibrary.Cpu - n.SortedFloor.Cpu, n.SortedLibrary.Cpu)} | ≤ 5% |"));
        report.Append(Line($"| Length-sorted over arrival order, same library | {n.ArrivalLibrary.Wall / n.SortedLibrary.Wall:F1}× | {n.ArrivalLibrary.Cpu / n.SortedLibrary.Cpu:F1}× | |"));
        report.Append(Line($"| Padding: padded / real tokens, arrival batch 32 vs length-sorted | {(double)n.Arrival.PaddedTokens / n.UsefulTokens:F2}× vs {(double)n.Sorted.PaddedTokens / n.UsefulTokens:F3}× | | |"));
        if (n.Agreement is { } agreement)
        {
            report.Append(Line($"\nVectors: on the {agreement.Fits.Rows} texts that fit in {n.MaxLength} tokens, the library's embeddings and transformers.js's differ by at most {agreement.Fits.MaxAbsDifference:E1} per component (minimum cosine {agreement.Fits.MinCosine:F7}): both computed the same thing. On the {agreement.Truncated.Rows} truncated texts the minimum cosine is {agreement.Truncated.MinCosine:F4}: transformers.js truncates by cutting the encoded ids (its `truncateHelper`), which drops the final [SEP], while Hugging Face tokenizers and sentence-transformers (and this library) keep [SEP] — the library follows Python."));
        }

        report.Append('\n');
    }

    private static string TextRow(string pipeline, string batching, long paddedTokens, Timing timing, int texts, double flops, MachineInfo machine) =>
        Line($"| {pipeline} | {batching} | {paddedTokens} | {timing.Wall:F2} | {timing.Cpu:F2} | {texts / timing.Wall:F1} | {flops / timing.Wall / 1e9:F1} | {Percent(flops / timing.Wall / 1e9, machine.PeakGflops)} | {flops / timing.Cpu / 1e9:F1} |");

    private static void AppendImage(StringBuilder report, ImageNumbers n, MachineInfo machine, int runs)
    {
        double flops = BertFlops.Base.Forward(1, 197);
        Timing total = n.Decode + n.Preprocess + n.Model;
        report.Append(Line($"**Image embedding** (ViT-B/16, models/bench/vit-b16; a {n.Width}×{n.Height} JPEG of {n.Bytes / 1024} KiB from bench/make_photo.py; batch 1, after a warm-up of at least 40 decodes and 2 s, the median of {runs} rounds; decode (into a pooled buffer, as the embedders do) and preprocess are single-threaded, CPU = thread CPU time; the model's CPU = process CPU time)"));
        report.Append("\n| Stage | ms | CPU ms | Share of wall | Share of CPU |\n|---|---:|---:|---:|---:|\n");
        report.Append(Line($"| JPEG decode (`ImageDecoder`) | {n.Decode.Wall * 1000:F1} | {n.Decode.Cpu * 1000:F1} | {Percent(n.Decode.Wall, total.Wall)} | {Percent(n.Decode.Cpu, total.Cpu)} |"));
        report.Append(Line($"| Resize to 224 + rescale + normalize (`ImagePreprocessor`) | {n.Preprocess.Wall * 1000:F1} | {n.Preprocess.Cpu * 1000:F1} | {Percent(n.Preprocess.Wall, total.Wall)} | {Percent(n.Preprocess.Cpu, total.Cpu)} |"));
        report.Append(Line($"| ViT-B/16 forward (ONNX Runtime) | {n.Model.Wall * 1000:F0} | {n.Model.Cpu * 1000:F0} | {Percent(n.Model.Wall, total.Wall)} | {Percent(n.Model.Cpu, total.Cpu)} |"));
        report.Append(Line($"| ViT-B/16 forward, batch of {n.Batch} (per image) | {n.BatchedModel.Wall * 1000:F0} | {n.BatchedModel.Cpu * 1000:F0} | | |"));
        report.Append(Line($"| `ImageEmbedder.Embed(jpeg)` end to end, batch 1 | {n.EmbedOne.Wall * 1000:F0} | {n.EmbedOne.Cpu * 1000:F0} | | |"));
        report.Append(Line($"| `ImageEmbedder.Embed` of {n.Batch} JPEGs (per image; decoding in parallel) | {n.EmbedBatch.Wall * 1000:F0} | {n.EmbedBatch.Cpu * 1000:F0} | | |"));
        Timing preparing = n.Decode + n.Preprocess;
        report.Append(Line($"\nImage preprocessing (decode + resize + normalize) is {Percent(preparing.Wall, total.Wall)} of end-to-end wall time and {Percent(preparing.Cpu, total.Cpu)} of CPU time at batch 1 (target ≤ 10%); with the forward pass batched by {n.Batch} it is {Percent(preparing.Wall, preparing.Wall + n.BatchedModel.Wall)} of wall time. The forward pass runs at {flops / n.Model.Wall / 1e9:F1} GFLOP/s ({Percent(flops / n.Model.Wall / 1e9, machine.PeakGflops)} of peak), {flops / n.Model.Cpu / 1e9:F1} GFLOP per CPU-second ({flops / n.BatchedModel.Wall / 1e9:F1} GFLOP/s in batches of {n.Batch}); 12 layers × (2·197·(4·768² + 2·768·3072) + 4·197²·768) = {flops / 1e9:F1} GFLOP per image."));
    }

    private static string[] TextsOf(string[] texts, int[] members)
    {
        var chunk = new string[members.Length];
        for (int i = 0; i < members.Length; i++)
        {
            chunk[i] = texts[members[i]];
        }

        return chunk;
    }

    private sealed record TextNumbers(
        int MaxLength,
        PaddedBatches Arrival,
        PaddedBatches Sorted,
        PaddedBatches Chunked,
        PaddedBatches Plan,
        Timing ArrivalLibrary,
        Timing ArrivalFloor,
        Timing SortedLibrary,
        Timing SortedFloor,
        Timing Whole,
        Timing PerCall,
        (VectorAgreement Fits, VectorAgreement Truncated)? Agreement,
        long UsefulTokens);

    private sealed record ImageNumbers(int Width, int Height, int Bytes, Timing Decode, Timing Preprocess, Timing Model, Timing BatchedModel, int Batch, Timing EmbedOne, Timing EmbedBatch);
}

/// <summary>How closely two sets of embeddings agree over the rows compared.</summary>
internal sealed record VectorAgreement(int Rows, double MaxAbsDifference, double MinCosine, int WorstRow)
{
    /// <summary>Compares the rows whose flag in <paramref name="include"/> is set.</summary>
    public static VectorAgreement Compare(float[] a, float[] b, int dimension, bool[] include)
    {
        double maxDiff = 0;
        double minCosine = 1;
        int worst = -1;
        int rows = 0;
        for (int row = 0; row < a.Length / dimension; row++)
        {
            if (!include[row])
            {
                continue;
            }

            rows++;
            ReadOnlySpan<float> x = a.AsSpan(row * dimension, dimension);
            ReadOnlySpan<float> y = b.AsSpan(row * dimension, dimension);
            for (int i = 0; i < dimension; i++)
            {
                maxDiff = Math.Max(maxDiff, Math.Abs(x[i] - y[i]));
            }

            double cosine = System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(x, y);
            if (cosine < minCosine)
            {
                minCosine = cosine;
                worst = row;
            }
        }

        return new VectorAgreement(rows, maxDiff, minCosine, worst);
    }
}
