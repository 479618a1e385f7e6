using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Embeddings.Cli;

namespace Embeddings.Tests.Cli;

/// <summary>One run of the CLI: its arguments, where <c>@name</c> stands for a file of the layout, and what it must do.</summary>
/// <param name="Name">The case's name, unique.</param>
/// <param name="Arguments">The command line, split on spaces; <c>@name</c> becomes the layout's path of <c>name</c>.</param>
/// <param name="ExitCode">The expected exit code: 1 for bad input, 2 for bad usage, 0 for input that is merely empty.</param>
/// <param name="Expected">Texts the one stderr line must hold (the input's name, the cause); <c>@name</c> as above.</param>
/// <param name="Stdin">A layout file piped to stdin, or null for a closed stdin.</param>
public sealed record BadInputCase(string Name, string Arguments, int ExitCode, string[] Expected, string? Stdin = null)
{
    public override string ToString() => Name;
}

/// <summary>What a child process did.</summary>
public sealed record ProcessResult(int ExitCode, string Output, string Error, bool TimedOut);

/// <summary>
/// A temporary layout of damaged model folders, inputs and images, and the results of running every
/// <see cref="Cases">case</see> against the built CLI as a child process, in parallel, once for the whole class.
/// </summary>
public sealed class BadInputMatrix : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, ProcessResult> _results = new(StringComparer.Ordinal);

    public BadInputMatrix()
    {
        Root = Path.Combine(Path.GetTempPath(), "embeddings-cli-matrix-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        BuildLayout();
        Parallel.ForEach(Cases, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount) }, c => _results[c.Name] = Run(c));
    }

    public string Root { get; }

    /// <summary>Every command on every bad input that concerns it, then bad usage of every command.</summary>
    public static IReadOnlyList<BadInputCase> Cases { get; } = BuildCases();

    public ProcessResult Result(string name) => _results[name];

    /// <summary>Replaces every <c>@name</c> token by its path in the layout.</summary>
    public string Expand(string text) =>
        string.Join(' ', text.Split(' ').Select(word => word.StartsWith('@') ? Path.Combine(Root, word[1..]) : word));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }

    private static List<BadInputCase> BuildCases()
    {
        var cases = new List<BadInputCase>();
        void Add(string name, string arguments, int exit, params string[] expected) => cases.Add(new BadInputCase(name, arguments, exit, expected));
        void Piped(string name, string arguments, string stdin, int exit, params string[] expected) => cases.Add(new BadInputCase(name, arguments, exit, expected, stdin));

        // Model folders: missing, a file, a truncated graph, malformed configuration, a link leading outside.
        foreach (string command in new[] { "tokenize", "embed", "ner" })
        {
            string model = command == "ner" ? "ner" : "text";
            Add($"{command} missing model folder", $"{command} --model @missing --input @hello.txt", 1, "@missing");
            Add($"{command} model folder is a file", $"{command} --model @not-a-folder --input @hello.txt", 1, "@not-a-folder", "is a file");
            Add($"{command} malformed tokenizer.json", $"{command} --model @{model}-bad-tokenizer --input @hello.txt", 1, $"@{model}-bad-tokenizer/tokenizer.json", "not valid JSON");
            Add($"{command} tokenizer.json links outside", $"{command} --model @{model}-link-tokenizer --input @hello.txt", 1, "tokenizer.json", "outside the model folder");
            if (command != "tokenize")
            {
                Add($"{command} half-truncated model.onnx", $"{command} --model @{model}-truncated-onnx --input @hello.txt", 1, $"@{model}-truncated-onnx/onnx/model.onnx", "Protobuf parsing failed");
                Add($"{command} malformed config.json", $"{command} --model @{model}-bad-config --input @hello.txt", 1, $"@{model}-bad-config/config.json", "not valid JSON");
                Add($"{command} model.onnx links outside", $"{command} --model @{model}-link-onnx --input @hello.txt", 1, "onnx/model.onnx", "outside the model folder");
            }
        }

        Add("embed max_seq_length leaves no room for text", "embed --model @text-short-sequence --input @hello.txt", 1, "@text-short-sequence/sentence_bert_config.json", "max_seq_length", "special tokens");
        Add("embed malformed sentence_bert_config.json", "embed --model @text-bad-st-config --input @hello.txt", 1, "@text-bad-st-config/sentence_bert_config.json", "not valid JSON");
        Add("ner model_max_length leaves no room for text", "ner --model @ner-short-sequence --input @hello.txt", 1, "@ner-short-sequence/tokenizer_config.json", "model_max_length", "special tokens");

        foreach (string command in new[] { "embed-image", "preprocess-image", "embed-tensor --output-name last_hidden_state", "info" })
        {
            string verb = command.Split(' ')[0];
            string image = verb == "info" ? string.Empty : " @ok.png";
            Add($"{verb} missing model folder", $"{command} --model @missing{image}", 1, "@missing");
            Add($"{verb} malformed preprocessor_config.json", $"{command} --model @image-bad-preprocessor{image}", 1, "@image-bad-preprocessor/preprocessor_config.json", "not valid JSON");
            Add($"{verb} preprocessor_config.json links outside", $"{command} --model @image-link-preprocessor{image}", 1, "preprocessor_config.json", "outside the model folder");
            if (verb != "preprocess-image")
            {
                Add($"{verb} half-truncated model.onnx", $"{command} --model @image-truncated-onnx{image}", 1, "@image-truncated-onnx/onnx/model.onnx", "Protobuf parsing failed");
                Add($"{verb} model.onnx links outside", $"{command} --model @image-link-onnx{image}", 1, "onnx/model.onnx", "outside the model folder");
            }
        }

        Add("embed-image model folder is a file", "embed-image --model @not-a-folder @ok.png", 1, "@not-a-folder", "is a file");
        Add("embed-image malformed config.json", "embed-image --model @image-bad-config @ok.png", 1, "@image-bad-config/config.json", "not valid JSON");
        Add("info text half-truncated model.onnx", "info --model @text-truncated-onnx", 1, "@text-truncated-onnx/onnx/model.onnx", "Protobuf parsing failed");
        Add("info malformed tokenizer.json", "info --model @text-bad-tokenizer", 1, "@text-bad-tokenizer/tokenizer.json", "not valid JSON");
        Add("info model is a text file", "info --model @hello.txt", 1, "@hello.txt");

        // Text inputs: missing, a folder, invalid UTF-8 (file and stdin), an endless line, malformed JSON lines, unpaired surrogates.
        foreach (string command in new[] { "tokenize --model @text", "embed --model @text", "ner --model @ner", "embed --vectors @vectors.txt" })
        {
            string name = command.Replace(" --model @", " ", StringComparison.Ordinal).Replace(" --vectors @", " ", StringComparison.Ordinal);
            Add($"{name} missing input file", $"{command} --input @missing.txt", 1, "@missing.txt");
            Add($"{name} input is a folder", $"{command} --input @text", 1, "@text", "folder");
            Add($"{name} invalid UTF-8 input", $"{command} --input @invalid-utf8.txt", 1, "@invalid-utf8.txt:2", "not valid UTF-8", "0xFF", "offset 10");
            Add($"{name} endless line", $"{command} --input @long-line.txt", 1, "@long-line.txt:1", $"longer than {InputText.MaxLineBytes} bytes");
            Add($"{name} malformed JSON line", $"{command} --input @bad.jsonl", 1, "@bad.jsonl:2", "not valid JSON");
            Add($"{name} unpaired surrogate escape", $"{command} --input @surrogate.jsonl", 1, "@surrogate.jsonl:1", "not valid Unicode");
            Add($"{name} empty input is no error", $"{command} --input @empty.txt", 0);
        }

        Piped("tokenize invalid UTF-8 on stdin", "tokenize --model @text", "invalid-utf8.txt", 1, "stdin:2", "not valid UTF-8", "offset 10");
        Piped("embed invalid UTF-8 on stdin", "embed --model @text", "invalid-utf8.txt", 1, "stdin:2", "not valid UTF-8");
        Piped("embed endless line on stdin", "embed --model @text", "long-line.txt", 1, "stdin:1", "longer than");
        Add("plot missing input", "plot --input @missing.jsonl --method pca --output @plot.html", 1, "@missing.jsonl");
        Add("plot invalid UTF-8 input", "plot --input @invalid-utf8.jsonl --method pca --output @plot.html", 1, "@invalid-utf8.jsonl:2", "not valid UTF-8");
        Add("plot invalid UTF-8 labels", "plot --input @vectors.jsonl --labels @invalid-utf8.txt --method pca --output @plot.html", 1, "@invalid-utf8.txt:2", "not valid UTF-8");
        Add("plot empty input", "plot --input @empty.jsonl --method pca --output @plot.html", 1, "@empty.jsonl", "no vectors");
        Add("embed-tensor invalid UTF-8 vectors", "embed-tensor --model @image --output-name last_hidden_state --input @invalid-utf8.jsonl", 1, "@invalid-utf8.jsonl:2", "not valid UTF-8");
        Add("embed vectors missing vectors file", "embed --vectors @missing.txt --input @hello.txt", 1, "@missing.txt");
        Add("words missing vectors file", "words --vectors @missing.txt --nearest king", 1, "@missing.txt");
        Add("words vectors file is malformed", "words --vectors @hello.txt --nearest king", 1, "@hello.txt");
        Add("download offline and not cached", "download org/model --offline --cache @cache", 1, "org/model", "not in the cache");
        Add("download malformed repository id", "download ../model --offline --cache @cache", 2, "'../model'", "repository id");

        // Images: truncated PNG and JPEG, not an image, empty, missing, dimensions far over the pixel limit.
        foreach (string command in new[] { "embed-image --model @image", "preprocess-image --model @image", "embed-tensor --model @image --output-name last_hidden_state" })
        {
            string verb = command.Split(' ')[0];
            Add($"{verb} truncated PNG", $"{command} @truncated.png", 1, "@truncated.png", "PNG");
            Add($"{verb} truncated JPEG", $"{command} @truncated.jpg", 1, "@truncated.jpg", "JPEG");
            Add($"{verb} not an image", $"{command} @not-image.png", 1, "@not-image.png", "not a PNG or JPEG");
            Add($"{verb} empty image file", $"{command} @empty.png", 1, "@empty.png");
            Add($"{verb} missing image file", $"{command} @missing.png", 1, "@missing.png");
            Add($"{verb} image is a folder", $"{command} @text", 1, "@text", "is a folder");
            Add($"{verb} PNG of 10 gigapixels", $"{command} @huge.png", 1, "@huge.png", "100000x100000", "limit");
            Add($"{verb} JPEG of 3.6 gigapixels", $"{command} @huge.jpg", 1, "@huge.jpg", "60000x60000", "limit");
        }

        // Bad usage: exit 2, one line naming the option and pointing at --help.
        Add("no command", string.Empty, 2, "command is required", "--help");
        Add("unknown command", "frobnicate", 2, "frobnicate", "--help");
        foreach (string command in new[] { "tokenize --model @text", "embed --model @text", "ner --model @ner", "embed-image --model @image", "preprocess-image --model @image", "info --model @text", "embed-tensor --model @image --output-name last_hidden_state", "plot --input @vectors.jsonl --method pca --output @plot.html", "words --vectors @vectors.txt --nearest king", "embed --vectors @vectors.txt", "download org/model --offline --cache @cache" })
        {
            string name = string.Join(' ', command.Split(' ').Take(command.StartsWith("embed --vectors", StringComparison.Ordinal) ? 2 : 1));
            Add($"{name} unknown option", $"{command} --frobnicate", 2, "'--frobnicate'", "--help");
        }

        foreach (string command in new[] { "tokenize --model", "embed --model", "ner --model", "embed-image --model", "preprocess-image --model", "info --model", "embed-tensor --model", "plot --input", "words --vectors", "embed --vectors", "download org/model --cache" })
        {
            Add($"{command} without its value", command, 2, $"'{command.Split(' ')[^1]}'", "needs a value");
        }

        foreach ((string command, string option) in new[]
        {
            ("tokenize --model @text", "--max-length"), ("embed --model @text", "--max-length"), ("embed --model @text", "--batch-tokens"),
            ("ner --model @ner", "--max-length"), ("ner --model @ner", "--stride"), ("embed-image --model @image @ok.png", "--batch-size"),
            ("embed-tensor --model @image --output-name last_hidden_state @ok.png", "--batch"), ("plot --input @vectors.jsonl --method pca --output @plot.html", "--iterations"),
            ("words --vectors @vectors.txt --nearest king", "--k"), ("embed --vectors @vectors.txt", "--max-words"),
        })
        {
            string verb = command.Split(' ')[0];
            Add($"{verb} {option} -1", $"{command} {option} -1", 2, option, "-1");
            Add($"{verb} {option} abc", $"{command} {option} abc", 2, option, "'abc'", "integer");
        }

        Add("embed --max-length below the special tokens", "embed --model @text --max-length 1 --input @hello.txt", 2, "MaxLength", "special tokens");
        Add("embed --max-length above the positions", "embed --model @text --max-length 100000 --input @hello.txt", 2, "MaxLength", "positions");
        Add("ner --max-length below the special tokens", "ner --model @ner --max-length 2 --input @hello.txt", 2, "MaxLength", "special tokens");
        Add("tokenize --max-length below the special tokens", "tokenize --model @text --max-length 1", 2, "--max-length", "at least 2");
        return cases;
    }

    private void BuildLayout()
    {
        string outside = Path.Combine(Root, "outside");
        Directory.CreateDirectory(outside);
        CopyFolder(RepositoryPaths.Model("bert-mean"), "text");
        CopyFolder(RepositoryPaths.Model("bert-ner"), "ner");
        CopyFolder(RepositoryPaths.Model("vit"), "image");
        File.WriteAllText(Combine("not-a-folder"), "a file where a model folder belongs\n");
        Directory.CreateDirectory(Combine("cache"));

        foreach (string model in new[] { "text", "ner", "image" })
        {
            string onnx = Path.Combine(CopyFolder(Combine(model), $"{model}-truncated-onnx"), "onnx", "model.onnx");
            byte[] bytes = File.ReadAllBytes(onnx);
            File.WriteAllBytes(onnx, bytes[..(bytes.Length / 2)]);
            File.WriteAllText(Path.Combine(CopyFolder(Combine(model), $"{model}-bad-config"), "config.json"), "{\"hidden_size\": ");
            Link(CopyFolder(Combine(model), $"{model}-link-onnx"), Path.Combine("onnx", "model.onnx"), Path.Combine(outside, $"{model}.onnx"));
            if (model != "image")
            {
                File.WriteAllText(Path.Combine(CopyFolder(Combine(model), $"{model}-bad-tokenizer"), "tokenizer.json"), "{\"model\": [");
                Link(CopyFolder(Combine(model), $"{model}-link-tokenizer"), "tokenizer.json", Path.Combine(outside, $"{model}-tokenizer.json"));
            }
        }

        File.WriteAllText(Path.Combine(CopyFolder(Combine("text"), "text-bad-st-config"), "sentence_bert_config.json"), "{ \"max_seq_length\": 12");
        File.WriteAllText(Path.Combine(CopyFolder(Combine("text"), "text-short-sequence"), "sentence_bert_config.json"), "{\"max_seq_length\": 2, \"do_lower_case\": false}");
        string nerShort = CopyFolder(Combine("ner"), "ner-short-sequence");
        string tokenizerConfig = File.ReadAllText(Path.Combine(nerShort, "tokenizer_config.json"));
        File.WriteAllText(Path.Combine(nerShort, "tokenizer_config.json"), "{\"model_max_length\": 1," + tokenizerConfig.TrimStart()[1..].Replace("\"model_max_length\"", "\"ignored_max_length\"", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(CopyFolder(Combine("image"), "image-bad-preprocessor"), "preprocessor_config.json"), "{\"size\": ");
        Link(CopyFolder(Combine("image"), "image-link-preprocessor"), "preprocessor_config.json", Path.Combine(outside, "preprocessor_config.json"));

        File.WriteAllText(Combine("hello.txt"), "hello world\n");
        File.WriteAllBytes(Combine("invalid-utf8.txt"), [.. "hello\nbad "u8, 0xFF, 0xFE, .. " bytes\n"u8]);
        File.WriteAllBytes(Combine("invalid-utf8.jsonl"), [.. "[1, 2]\n[\""u8, 0xC3, .. "\"]\n"u8]);
        File.WriteAllBytes(Combine("empty.txt"), []);
        File.WriteAllBytes(Combine("empty.jsonl"), []);
        using (var stream = File.Create(Combine("long-line.txt")))
        {
            byte[] block = new byte[1 << 20];
            block.AsSpan().Fill((byte)'a');
            for (long written = 0; written <= InputText.MaxLineBytes; written += block.Length)
            {
                stream.Write(block);
            }
        }

        File.WriteAllText(Combine("bad.jsonl"), "{\"text\": \"fine\"}\n{oops\n");
        File.WriteAllText(Combine("surrogate.jsonl"), "{\"text\": \"a\\ud800b\"}\n");
        File.WriteAllText(Combine("vectors.jsonl"), "[1, 2, 3]\n[3, 1, 2]\n[2, 3, 1]\n");
        File.Copy(Path.Combine(RepositoryPaths.Root, "tests", "data", "beyond", "word_vectors", "vectors.txt"), Combine("vectors.txt"));

        File.Copy(RepositoryPaths.Model("images", "png_rgb8.png"), Combine("ok.png"));
        byte[] png = File.ReadAllBytes(RepositoryPaths.Model("images", "png_rgb8.png"));
        File.WriteAllBytes(Combine("truncated.png"), png[..(png.Length / 2)]);
        byte[] jpeg = File.ReadAllBytes(RepositoryPaths.Model("images", "jpeg_420.jpg"));
        File.WriteAllBytes(Combine("truncated.jpg"), jpeg[..(jpeg.Length / 2)]);
        File.WriteAllText(Combine("not-image.png"), "plain text, not an image\n");
        File.WriteAllBytes(Combine("empty.png"), []);
        File.WriteAllBytes(Combine("huge.png"), WithPngSize(png, 100_000, 100_000));
        File.WriteAllBytes(Combine("huge.jpg"), WithJpegSize(File.ReadAllBytes(RepositoryPaths.Model("images", "jpeg_one_pixel.jpg")), 60_000, 60_000));
    }

    private string Combine(string name) => Path.Combine(Root, name);

    private string CopyFolder(string source, string name)
    {
        string target = Combine(name);
        Copy(source, target);
        return target;

        static void Copy(string from, string to)
        {
            Directory.CreateDirectory(to);
            foreach (string file in Directory.GetFiles(from))
            {
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            }

            foreach (string directory in Directory.GetDirectories(from))
            {
                Copy(directory, Path.Combine(to, Path.GetFileName(directory)));
            }
        }
    }

    /// <summary>Moves a folder's file outside and leaves a symbolic link to it in its place.</summary>
    private static void Link(string folder, string relative, string outsideTarget)
    {
        string path = Path.Combine(folder, relative);
        File.Move(path, outsideTarget);
        File.CreateSymbolicLink(path, outsideTarget);
    }

    /// <summary>Rewrites the IHDR size of a PNG, with its CRC, so only the declared dimensions are wrong.</summary>
    private static byte[] WithPngSize(byte[] png, int width, int height)
    {
        byte[] copy = (byte[])png.Clone();
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(16), width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(20), height);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(29), Embeddings.Tests.Imaging.ImageDecoderFuzzTests.Crc32(copy.AsSpan(12, 17)));
        return copy;
    }

    /// <summary>Rewrites the size in a JPEG's start-of-frame segment.</summary>
    private static byte[] WithJpegSize(byte[] jpeg, ushort width, ushort height)
    {
        byte[] copy = (byte[])jpeg.Clone();
        for (int i = 2; i + 9 < copy.Length; i++)
        {
            if (copy[i] == 0xFF && copy[i + 1] is 0xC0 or 0xC1 or 0xC2)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(i + 5), height);
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(i + 7), width);
                return copy;
            }
        }

        throw new InvalidOperationException("no start-of-frame segment in the JPEG");
    }

    private ProcessResult Run(BadInputCase testCase)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "Embeddings.Cli.dll");
        var start = new ProcessStartInfo(DotnetPath())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardErrorEncoding = Encoding.UTF8,
            StandardOutputEncoding = Encoding.UTF8,
            WorkingDirectory = Root,
        };
        start.ArgumentList.Add(dll);
        foreach (string argument in testCase.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            start.ArgumentList.Add(Expand(argument));
        }

        start.Environment["HF_HOME"] = Combine("cache");
        start.Environment.Remove("HF_TOKEN");
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        try
        {
            if (testCase.Stdin is not null)
            {
                using FileStream stdin = File.OpenRead(Combine(testCase.Stdin));
                stdin.CopyTo(process.StandardInput.BaseStream);
            }
        }
        catch (IOException)
        {
            // The command may stop reading (and exit) before all of stdin is written: a broken pipe is expected.
        }
        finally
        {
            try
            {
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // As above.
            }
        }

        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new ProcessResult(-1, output.Result, error.Result, TimedOut: true);
        }

        return new ProcessResult(process.ExitCode, output.Result, error.Result, TimedOut: false);
    }

    private static string DotnetPath() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
