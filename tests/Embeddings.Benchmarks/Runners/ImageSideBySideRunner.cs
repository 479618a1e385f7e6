using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Embeddings.Imaging;
using static Embeddings.Benchmarks.Runners.RunnerText;

namespace Embeddings.Benchmarks.Runners;

/// <summary>
/// Times, in one run and on the same files, Pillow + numpy (bench/image_side_by_side.py, a long-lived worker) and this
/// library decoding a 1–2 MP image and preprocessing it to 224×224 <c>pixel_values</c>, alternating the two sides
/// repetition by repetition, and checks that both produce the same <c>pixel_values</c>.
/// </summary>
/// <remarks>
/// Both sides are single-threaded and report wall time and their thread's CPU time per stage; the worker times itself,
/// so the pipe between the processes is outside every measurement. Medians over all repetitions are reported.
/// </remarks>
internal static class ImageSideBySideRunner
{
    private const string Python = "/usr/bin/python3";

    /// <summary>The preprocessor configurations compared: (label, path under the repository root).</summary>
    private static readonly (string Label, string Path)[] Configs =
    [
        ("ViT 224×224, bilinear", Path.Combine("models", "vit", "preprocessor_config.json")),
        ("CLIP shortest edge 224 + crop, bicubic", Path.Combine("models", "vit-clip", "preprocessor_config.json")),
    ];

    /// <summary>Runs the comparison and prints (and with --write stores) the Markdown section.</summary>
    public static int Run(RunnerArguments args)
    {
        int rounds = args.Integer("rounds", 12);
        int reps = args.Integer("reps", 3);
        MachineInfo machine = MachineInfo.Read();
        using var pillow = new PillowWorker(args.Text("python", Python)!);
        JsonNode info = pillow.Ask(new JsonObject { ["cmd"] = "info" });
        var files = info["files"]!.AsArray().Select(file => new ImageFile(file!["name"]!.GetValue<string>(), file["path"]!.GetValue<string>(), file["description"]!.GetValue<string>())).ToArray();
        foreach (ImageFile file in files)
        {
            if (!File.Exists(file.Path))
            {
                throw new FileNotFoundException($"{file.Path} is missing: run '/usr/bin/python3 bench/image_side_by_side.py make-data' (bench/side_by_side.sh --images does).", file.Path);
            }
        }

        var pairs = new List<Pair>();
        foreach ((string label, string relative) in Configs)
        {
            string config = Path.Combine(BenchmarkPaths.Root, relative);
            ImagePreprocessor preprocessor = ImagePreprocessor.Load(config);
            foreach (ImageFile file in files)
            {
                pairs.Add(new Pair(file, label, config, preprocessor));
            }
        }

        double loadBefore = MachineInfo.LoadAverage();
        Log($"{files.Length} files x {Configs.Length} configs; load average {loadBefore:F1}");
        foreach (Pair pair in pairs)
        {
            CheckSameWork(pillow, pair);
        }

        // Warm-up: the JIT tiers the library's loops up after a few dozen calls; Pillow has nothing to warm but the page cache.
        foreach (Pair pair in pairs)
        {
            TimeLibrary(pair, 8);
            TimePillow(pillow, pair, 1);
        }

        var stopwatch = Stopwatch.StartNew();
        for (int round = 0; round < rounds; round++)
        {
            for (int p = 0; p < pairs.Count; p++)
            {
                Pair pair = pairs[p];
                if ((round + p) % 2 == 0)
                {
                    pair.Pillow.AddRange(TimePillow(pillow, pair, reps));
                    pair.Library.AddRange(TimeLibrary(pair, reps));
                }
                else
                {
                    pair.Library.AddRange(TimeLibrary(pair, reps));
                    pair.Pillow.AddRange(TimePillow(pillow, pair, reps));
                }
            }

            Log($"round {round + 1}/{rounds} ({stopwatch.Elapsed.TotalSeconds:F0} s)");
        }

        double loadAfter = MachineInfo.LoadAverage();
        string markdown = Report(machine, info, files, pairs, rounds * reps, loadBefore, loadAfter);
        ReportSection.Publish("image-side-by-side", markdown, args);

        pillow.Ask(new JsonObject { ["cmd"] = "quit" }, expectAnswer: false);
        return 0;
    }

    /// <summary>Compares the library's pixel_values with Pillow's for one file and config; stops the run when they differ.</summary>
    private static void CheckSameWork(PillowWorker pillow, Pair pair)
    {
        string output = Path.Combine(Path.GetTempPath(), $"embeddings-pillow-{Environment.ProcessId}.f32");
        try
        {
            JsonNode answer = pillow.Ask(new JsonObject { ["cmd"] = "pixels", ["file"] = pair.File.Path, ["config"] = pair.ConfigPath, ["out"] = output });
            byte[] raw = File.ReadAllBytes(output);
            var theirs = new float[raw.Length / sizeof(float)];
            Buffer.BlockCopy(raw, 0, theirs, 0, raw.Length);
            float[] ours = pair.Preprocessor.Process(ImageDecoder.Decode(File.ReadAllBytes(pair.File.Path), sourceName: pair.File.Path));
            if (ours.Length != theirs.Length)
            {
                throw new InvalidOperationException($"{pair.File.Name}, {pair.Label}: the library produced {ours.Length} values, Pillow {theirs.Length}.");
            }

            double max = 0;
            for (int i = 0; i < ours.Length; i++)
            {
                max = Math.Max(max, Math.Abs(ours[i] - theirs[i]));
            }

            pair.MaxAbsDifference = max;
            pair.ReferenceDifference = answer["reference_max_abs_diff"]!.GetValue<double>();
            Log($"{pair.File.Name}, {pair.Label}: max |library - Pillow| = {max:G3}; Pillow lean vs transformers mirror {pair.ReferenceDifference:G3}");
            if (pair.ReferenceDifference != 0)
            {
                throw new InvalidOperationException($"{pair.File.Name}, {pair.Label}: Pillow's lean path differs from the transformers mirror by {pair.ReferenceDifference:G3}.");
            }

            if (max > 1e-6)
            {
                throw new InvalidOperationException($"{pair.File.Name}, {pair.Label}: the library's pixel_values differ from Pillow's by {max:G3}: not the same work.");
            }
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>Runs the library's pipeline <paramref name="reps"/> times as its embedders do: read the file, decode into a pooled buffer (with EXIF orientation), preprocess, give the buffer back.</summary>
    private static List<double[]> TimeLibrary(Pair pair, int reps)
    {
        var samples = new List<double[]>(reps);
        for (int rep = 0; rep < reps; rep++)
        {
            long start = Stopwatch.GetTimestamp();
            double cpuStart = CpuClock.Thread();
            RgbImage image = ImageInput.FromFile(pair.File.Path).Decode(ImageDecoder.DefaultMaxPixels, pair.File.Name, pooled: true);
            long decoded = Stopwatch.GetTimestamp();
            double cpuDecoded = CpuClock.Thread();
            pair.Preprocessor.Process(image, pair.Pixels);
            image.Dispose();
            long done = Stopwatch.GetTimestamp();
            double cpuDone = CpuClock.Thread();
            samples.Add([
                Stopwatch.GetElapsedTime(start, decoded).TotalSeconds, cpuDecoded - cpuStart,
                Stopwatch.GetElapsedTime(decoded, done).TotalSeconds, cpuDone - cpuDecoded,
            ]);
        }

        return samples;
    }

    /// <summary>Asks the worker for <paramref name="reps"/> timed runs; each sample holds wall and CPU seconds of decode, load_image, resize, normalize.</summary>
    private static List<double[]> TimePillow(PillowWorker pillow, Pair pair, int reps)
    {
        JsonNode answer = pillow.Ask(new JsonObject { ["cmd"] = "time", ["file"] = pair.File.Path, ["config"] = pair.ConfigPath, ["reps"] = reps });
        var samples = new List<double[]>(reps);
        foreach (JsonNode? sample in answer["samples"]!.AsArray())
        {
            samples.Add(sample!.AsArray().SelectMany(stage => stage!.AsArray().Select(value => value!.GetValue<double>())).ToArray());
        }

        return samples;
    }

    private static string Report(MachineInfo machine, JsonNode info, ImageFile[] files, List<Pair> pairs, int samples, double loadBefore, double loadAfter)
    {
        var report = new StringBuilder();
        report.Append(Line($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC by `bench/side_by_side.sh --images`. Load average (1 min) {loadBefore:F1} before, {loadAfter:F1} after: on 2 cores anything above ~1 means other processes competed for the CPU. The two sides alternate repetition by repetition, so load falls on both alike; each side is single-threaded and reports its thread's CPU time beside wall time. Medians of {samples} repetitions per row."));
        report.Append('\n');
        report.Append(machine.Describe());
        report.Append(Line($"- Pillow {info["pillow"]} (libjpeg-turbo {info["libjpeg_turbo"]} API, zlib {info["zlib"]}), numpy {info["numpy"]}, Python {info["python"]} (`/usr/bin/python3`)"));
        report.Append(Line($"- Files (bench/data, made by `bench/image_side_by_side.py make-data`): {string.Join("; ", files.Select(file => $"`{file.Name}` {file.Description}"))}"));
        report.Append('\n');
        report.Append("**Target: the library's decode + preprocess within 1.5× of Pillow's time for the same work.** Pillow's side is transformers' slow processor in its leanest form: `Image.open` + `load` (decode), `ImageOps.exif_transpose` + `convert(\"RGB\")` (what `load_image` does), `Image.resize(size, resample, reducing_gap=None)`, then numpy: center crop (CLIP), rescale in float64 → float32, normalize in float32, HWC → contiguous CHW. The library's side, as its embedders run it (`PixelValuesProcessor`): `ImageInput.FromFile(path)` read and decoded by `ImageDecoder` into a pooled buffer (EXIF orientation applied), `ImagePreprocessor.Process` into a reused float buffer, the pixel buffer given back. Ratios are library / Pillow (below 1 = the library is faster); the strict ratio compares the library's whole pipeline with Pillow's without the numpy step.\n\n");
        report.Append("| Image | Processor | Pillow ms | Pillow CPU ms | Library ms | Library CPU ms | Ratio (wall) | Ratio (CPU) | Strict ratio (CPU) | Max abs diff |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        double worst = 0;
        foreach (Pair pair in pairs)
        {
            Timing pillow = Median(pair.Pillow, 0, 4);
            Timing pillowNoNumpy = Median(pair.Pillow, 0, 3);
            Timing library = Median(pair.Library, 0, 2);
            worst = Math.Max(worst, library.Cpu / pillow.Cpu);
            report.Append(Line($"| `{pair.File.Name}` | {pair.Label} | {Ms(pillow.Wall)} | {Ms(pillow.Cpu)} | {Ms(library.Wall)} | {Ms(library.Cpu)} | {library.Wall / pillow.Wall:F2}× | {library.Cpu / pillow.Cpu:F2}× | {library.Cpu / pillowNoNumpy.Cpu:F2}× | {pair.MaxAbsDifference:G2} |"));
        }

        report.Append(Line($"\nWorst ratio (CPU) {worst:F2}× against the target of 1.5×. Max abs diff is between the two sides' `pixel_values` (float32 [3, 224, 224]) for the file and processor, checked in the same run; Pillow's lean path equals the step-by-step transformers mirror (models/scripts/image_processing.py) exactly on every row."));
        report.Append("\n**Where the time goes** (median CPU ms per stage; ViT 224×224 bilinear rows; CLIP's bicubic resize in parentheses)\n\n");
        report.Append("| Image | Pillow decode | Pillow exif_transpose + convert | Pillow resize | numpy rescale + normalize + CHW | Library decode | Library resize + rescale + normalize + CHW |\n|---|---:|---:|---:|---:|---:|---:|\n");
        foreach (ImageFile file in files)
        {
            Pair vit = pairs.First(pair => pair.File == file && pair.Label == Configs[0].Label);
            Pair clip = pairs.First(pair => pair.File == file && pair.Label == Configs[1].Label);
            report.Append(Line($"| `{file.Name}` | {Ms(Median(vit.Pillow, 0, 1).Cpu)} | {Ms(Median(vit.Pillow, 1, 1).Cpu)} | {Ms(Median(vit.Pillow, 2, 1).Cpu)} ({Ms(Median(clip.Pillow, 2, 1).Cpu)}) | {Ms(Median(vit.Pillow, 3, 1).Cpu)} | {Ms(Median(vit.Library, 0, 1).Cpu)} | {Ms(Median(vit.Library, 1, 1).Cpu)} ({Ms(Median(clip.Library, 1, 1).Cpu)}) |"));
        }

        return report.ToString();
    }

    /// <summary>The median over samples of the summed wall and CPU seconds of <paramref name="count"/> stages from <paramref name="first"/>.</summary>
    private static Timing Median(List<double[]> samples, int first, int count)
    {
        double[] wall = samples.Select(sample => Enumerable.Range(first, count).Sum(stage => sample[2 * stage])).Order().ToArray();
        double[] cpu = samples.Select(sample => Enumerable.Range(first, count).Sum(stage => sample[(2 * stage) + 1])).Order().ToArray();
        return new Timing(Middle(wall), Middle(cpu));
    }

    private static double Middle(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;

    private static string Ms(double seconds) => (seconds * 1000).ToString("F1", CultureInfo.InvariantCulture);

    private sealed record ImageFile(string Name, string Path, string Description);

    /// <summary>One file under one preprocessor configuration, with both sides' samples.</summary>
    private sealed class Pair(ImageFile file, string label, string configPath, ImagePreprocessor preprocessor)
    {
        public ImageFile File { get; } = file;

        public string Label { get; } = label;

        public string ConfigPath { get; } = configPath;

        public ImagePreprocessor Preprocessor { get; } = preprocessor;

        public float[] Pixels { get; } = new float[preprocessor.OutputLength];

        public List<double[]> Pillow { get; } = [];

        public List<double[]> Library { get; } = [];

        public double MaxAbsDifference { get; set; }

        public double ReferenceDifference { get; set; }
    }

    /// <summary>bench/image_side_by_side.py in serve mode: one JSON command per line in, one JSON answer per line out.</summary>
    private sealed class PillowWorker : IDisposable
    {
        private readonly Process _process;

        public PillowWorker(string python)
        {
            var start = new ProcessStartInfo(python)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
                WorkingDirectory = BenchmarkPaths.Root,
            };
            start.ArgumentList.Add(Path.Combine(BenchmarkPaths.Root, "bench", "image_side_by_side.py"));
            start.ArgumentList.Add("serve");
            _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {python}.");
        }

        public JsonNode Ask(JsonObject command, bool expectAnswer = true)
        {
            _process.StandardInput.WriteLine(command.ToJsonString());
            _process.StandardInput.Flush();
            if (!expectAnswer)
            {
                return command;
            }

            string line = _process.StandardOutput.ReadLine()
                ?? throw new InvalidOperationException($"bench/image_side_by_side.py exited (code {(_process.HasExited ? _process.ExitCode : -1)}) without answering {command.ToJsonString()}.");
            JsonNode answer = JsonNode.Parse(line) ?? throw new InvalidDataException($"bench/image_side_by_side.py answered '{line}'.");
            if (answer["error"] is { } error)
            {
                throw new InvalidOperationException($"bench/image_side_by_side.py: {error.GetValue<string>()} (command {command.ToJsonString()})");
            }

            return answer;
        }

        public void Dispose()
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5000))
            {
                _process.Kill();
            }

            _process.Dispose();
        }
    }
}
