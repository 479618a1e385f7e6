using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Embeddings.Text;

namespace Embeddings.Benchmarks.Runners;

/// <summary>Streams many texts through <see cref="TextEmbedder.EmbedStreamAsync"/> and samples the process's memory, to show it stays flat.</summary>
internal static class MemoryRunner
{
    /// <summary>Runs the stream and prints (and with --write stores) the Markdown section.</summary>
    public static async Task<int> RunAsync(RunnerArguments args)
    {
        int total = args.Integer("texts", 100_000);
        int every = args.Integer("every", 5_000);
        // 0 keeps the model's own max_seq_length (256), so every padded shape the corpus produces occurs, as in production;
        // a smaller --max-length makes the run faster but exercises fewer shapes.
        int maxLength = args.Integer("max-length", 0);
        string[] corpus = BenchmarkCorpus.Load();
        string folder = BenchmarkPaths.BenchModel("minilm-l6");
        using TextEmbedder embedder = TextEmbedder.Create(folder, new TextEmbedderOptions { MaxLength = maxLength > 0 ? maxLength : null });
        maxLength = embedder.Settings.MaxLength;
        var samples = new List<Sample> { Sample.Take(0, TimeSpan.Zero) };
        long start = Stopwatch.GetTimestamp();
        long count = 0;
        long tokens = 0;
        await foreach (TextEmbedding result in embedder.EmbedStreamAsync(Cycle(corpus, total)).ConfigureAwait(false))
        {
            if (result.Index != count)
            {
                throw new InvalidOperationException($"Result {count} arrived with index {result.Index}.");
            }

            count++;
            tokens += result.TokenCount;
            if (count % every == 0)
            {
                Sample sample = Sample.Take(count, Stopwatch.GetElapsedTime(start));
                samples.Add(sample);
                Console.WriteLine(sample.Row());
            }
        }

        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Sample warm = samples.First(s => s.Texts >= every);
        Sample last = samples[^1];
        Sample beforeLast = samples.Count > 2 ? samples[^2] : warm;
        Sample half = samples.First(s => s.Texts >= count / 2);
        var report = new StringBuilder();
        report.Append(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC by `bench/side_by_side.sh --memory`: {count:N0} texts (the corpus cycled) through `EmbedStreamAsync` with minilm-l6, MaxLength {maxLength}, {tokens:N0} tokens, {seconds:F0} s ({count / seconds:F0} texts/s, load average {MachineInfo.LoadAverage():F1} at the end).\n\n");
        report.Append("| Texts | Seconds | VmRSS MB | VmHWM (peak) MB | GC heap MB | Gen2 GCs |\n|---:|---:|---:|---:|---:|---:|\n");
        foreach (Sample sample in samples)
        {
            report.Append(sample.Row()).Append('\n');
        }

        report.Append(CultureInfo.InvariantCulture, $"\nAfter the first {warm.Texts:N0} texts: VmRSS {warm.RssMb:F0} MB, peak {warm.PeakMb:F0} MB. Between {beforeLast.Texts:N0} and {last.Texts:N0} texts: VmRSS {beforeLast.RssMb:F0} → {last.RssMb:F0} MB, peak {beforeLast.PeakMb:F0} → {last.PeakMb:F0} MB. ");
        report.Append(CultureInfo.InvariantCulture, $"Peak growth from {warm.Texts:N0} texts to the end: {last.PeakMb - warm.PeakMb:F0} MB; over the second half ({half.Texts:N0} to {last.Texts:N0} texts): {half.PeakMb:F0} → {last.PeakMb:F0} MB ({last.PeakMb - half.PeakMb:+0;-0;0} MB). ");
        report.Append("Early growth is ONNX Runtime's arena meeting new padded shapes (batch size × length) for the first time; once the corpus has shown them all, the peak stays put.\n");
        string markdown = report.ToString();
        ReportSection.Publish("memory", markdown, args);

        return 0;
    }

    private static async IAsyncEnumerable<string> Cycle(string[] corpus, int total, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int i = 0; i < total; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return corpus[i % corpus.Length];
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>One reading of the process's memory.</summary>
    private sealed record Sample(long Texts, double Seconds, double RssMb, double PeakMb, double HeapMb, int Gen2)
    {
        public static Sample Take(long texts, TimeSpan elapsed)
        {
            (double rss, double peak) = ReadStatus();
            return new Sample(texts, elapsed.TotalSeconds, rss, peak, GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0, GC.CollectionCount(2));
        }

        public string Row() =>
            string.Create(CultureInfo.InvariantCulture, $"| {Texts:N0} | {Seconds:F0} | {RssMb:F0} | {PeakMb:F0} | {HeapMb:F1} | {Gen2} |");

        /// <summary>Reads VmRSS and VmHWM from /proc/self/status; elsewhere falls back to the working set and its peak.</summary>
        private static (double Rss, double Peak) ReadStatus()
        {
            if (!File.Exists("/proc/self/status"))
            {
                using Process process = Process.GetCurrentProcess();
                return (process.WorkingSet64 / 1048576.0, process.PeakWorkingSet64 / 1048576.0);
            }

            double rss = 0;
            double peak = 0;
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = Kilobytes(line) / 1024.0;
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    peak = Kilobytes(line) / 1024.0;
                }
            }

            return (rss, peak);
        }

        private static long Kilobytes(string line)
        {
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(parts[1], CultureInfo.InvariantCulture);
        }
    }
}
