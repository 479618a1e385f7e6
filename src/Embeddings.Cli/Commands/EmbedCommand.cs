using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Embeddings.Pooling;
using Embeddings.Text;

namespace Embeddings.Cli;

/// <summary><c>embeddings embed</c>: one embedding per input line, as JSON lines or a float32 <c>.npy</c> matrix.</summary>
/// <remarks>Without --pooling or --normalize the model folder's configuration applies. Exit 0 ok, 2 bad usage, 1 runtime error.</remarks>
internal static class EmbedCommand
{
    private const int GroupSize = 1024;

    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        Options options;
        try
        {
            options = Parse(args);
        }
        catch (UsageException exception)
        {
            return CommandLine.BadUsage(stderr, "embed", exception.Message);
        }

        string source = InputText.SourceName(options.Input);
        try
        {
            List<InputText> inputs = InputText.Read(options.Input, options.JsonLines, stdin);
            using TextEmbedder embedder = CommandLine.WithOptionsAsUsage(() => TextEmbedder.Create(options.Model!, options.Embedder));
            if (options.Format == "npy")
            {
                if (embedder.Settings.Pooling == PoolingMode.None && embedder.Settings.CustomPooler is null)
                {
                    throw new UsageException("--format npy needs pooled vectors; per-token output (--pooling none) is JSON lines only");
                }

                WriteNpy(embedder, inputs, options, source);
                return 0;
            }

            TextWriter output = stdout;
            StreamWriter? file = null;
            if (options.Output is not null)
            {
                file = new StreamWriter(options.Output, append: false, new UTF8Encoding(false));
                output = file;
            }

            try
            {
                WriteJsonLines(embedder, inputs, options, output, source);
            }
            finally
            {
                file?.Dispose();
            }

            return 0;
        }
        catch (UsageException exception)
        {
            return CommandLine.BadUsage(stderr, "embed", exception.Message);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            stderr.WriteLine($"embeddings embed: {CommandLine.OneLine(exception.Message)}");
            return 1;
        }
    }

    private static void WriteJsonLines(TextEmbedder embedder, List<InputText> inputs, Options options, TextWriter output, string source)
    {
        bool perToken = embedder.Settings.Pooling == PoolingMode.None && embedder.Settings.CustomPooler is null;
        using var lines = new JsonLinesWriter(output);
        for (int start = 0; start < inputs.Count; start += GroupSize)
        {
            List<InputText> group = inputs.GetRange(start, System.Math.Min(GroupSize, inputs.Count - start));
            string[] texts = group.ConvertAll(i => i.Text).ToArray();
            if (perToken)
            {
                IReadOnlyList<TokenEmbeddings> results = Guard(group, source, () => embedder.EmbedTokens(texts, options.Prompt), t => embedder.EmbedTokens([t], options.Prompt));
                for (int r = 0; r < results.Count; r++)
                {
                    TokenEmbeddings result = results[r];
                    string at = InputText.Locate(source, group[r].Line);
                    Utf8JsonWriter json = lines.BeginLine();
                    json.WriteStartObject();
                    JsonLinesWriter.WriteTokens(json, result.Ids, result.Offsets);
                    json.WriteStartArray("embeddings");
                    for (int t = 0; t < result.Count; t++)
                    {
                        JsonLinesWriter.WriteFloats(json, null, result[t], at);
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                    lines.EndLine();
                }

                continue;
            }

            EmbeddingBatch batch = Guard(group, source, () => embedder.Embed(texts, options.Prompt), t => embedder.Embed([t], options.Prompt));
            for (int i = 0; i < batch.Count; i++)
            {
                Utf8JsonWriter json = lines.BeginLine();
                json.WriteStartObject();
                JsonLinesWriter.WriteFloats(json, "embedding", batch[i], InputText.Locate(source, group[i].Line));
                json.WriteEndObject();
                lines.EndLine();
            }
        }
    }

    private static void WriteNpy(TextEmbedder embedder, List<InputText> inputs, Options options, string source)
    {
        if (options.Output is null)
        {
            throw new UsageException("--format npy needs --output PATH");
        }

        int dimension = embedder.Dimension;
        using FileStream file = File.Create(options.Output);
        string header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({inputs.Count}, {dimension}), }}";
        int unpadded = 10 + header.Length + 1;
        int padded = (unpadded + 63) / 64 * 64;
        header = header.PadRight(padded - 10 - 1) + "\n";
        Span<byte> preamble = stackalloc byte[10];
        preamble[0] = 0x93;
        "NUMPY"u8.CopyTo(preamble[1..]);
        preamble[6] = 1;
        preamble[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(preamble[8..], (ushort)header.Length);
        file.Write(preamble);
        file.Write(Encoding.ASCII.GetBytes(header));
        var bytes = new byte[dimension * sizeof(float)];
        for (int start = 0; start < inputs.Count; start += GroupSize)
        {
            List<InputText> group = inputs.GetRange(start, System.Math.Min(GroupSize, inputs.Count - start));
            string[] texts = group.ConvertAll(i => i.Text).ToArray();
            EmbeddingBatch batch = Guard(group, source, () => embedder.Embed(texts, options.Prompt), t => embedder.Embed([t], options.Prompt));
            for (int i = 0; i < batch.Count; i++)
            {
                ReadOnlySpan<float> vector = batch[i];
                for (int d = 0; d < dimension; d++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(d * sizeof(float)), vector[d]);
                }

                file.Write(bytes);
            }
        }
    }

    /// <summary>Runs a group; when it fails, retries texts one by one to name the failing input line.</summary>
    internal static T Guard<T, TSingle>(List<InputText> group, string source, Func<T> run, Func<string, TSingle> single)
    {
        try
        {
            return run();
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidDataException or EmbeddingsException or NotSupportedException)
        {
            foreach (InputText input in group)
            {
                try
                {
                    single(input.Text);
                }
                catch (Exception inner) when (inner is ArgumentException or InvalidDataException or EmbeddingsException or NotSupportedException)
                {
                    throw new InputException($"{InputText.Locate(source, input.Line)}: {CommandLine.OneLine(inner.Message)}", inner);
                }
            }

            throw new InputException($"{source}:{group[0].Line}-{group[^1].Line}: {CommandLine.OneLine(exception.Message)}", exception);
        }
    }

    private static Options Parse(string[] args)
    {
        var embedder = new TextEmbedderOptions();
        var options = new Options { Embedder = embedder };
        var arguments = new CommandArguments(args, "embed");
        while (arguments.Next() is { } option)
        {
            switch (option)
            {
                case "--model":
                    options.Model = arguments.Value();
                    break;
                case "--model-file":
                    embedder.ModelFileName = arguments.Value();
                    break;
                case "--pooling":
                    string pooling = arguments.Value();
                    embedder.Pooling = SentenceTransformersNames(pooling)
                        ?? throw new UsageException($"--pooling must be cls, mean, max, meansqrtlen, weightedmean, lasttoken or none, not '{pooling}'");
                    break;
                case "--normalize":
                    embedder.Normalize = true;
                    break;
                case "--no-normalize":
                    embedder.Normalize = false;
                    break;
                case "--max-length":
                    embedder.MaxLength = arguments.PositiveInteger();
                    break;
                case "--batch-tokens":
                    embedder.BatchTokenBudget = arguments.PositiveInteger();
                    break;
                case "--long-text":
                    string policy = arguments.Value();
                    embedder.LongText = policy switch
                    {
                        "truncate" => LongTextPolicy.Truncate,
                        "error" => LongTextPolicy.Error,
                        "chunk" => LongTextPolicy.Chunk,
                        _ => throw new UsageException($"--long-text must be truncate, error or chunk, not '{policy}'"),
                    };
                    break;
                case "--chunk-overlap":
                    embedder.ChunkOverlap = arguments.NonNegativeInteger();
                    break;
                case "--prompt":
                    options.Prompt = TextPrompt.Literal(arguments.Value());
                    break;
                case "--prompt-name":
                    string name = arguments.Value();
                    options.Prompt = name.Length == 0 ? throw new UsageException("--prompt-name needs a name") : TextPrompt.Named(name);
                    break;
                case "--input":
                    options.Input = arguments.Value();
                    break;
                case "--jsonl":
                    options.JsonLines = true;
                    break;
                case "--output":
                    options.Output = arguments.Value();
                    break;
                case "--format":
                    options.Format = arguments.Value();
                    if (options.Format is not ("jsonl" or "npy"))
                    {
                        throw new UsageException($"--format must be jsonl or npy, not '{options.Format}'");
                    }

                    break;
                default:
                    throw arguments.Unknown(option);
            }
        }

        if (options.Model is null)
        {
            throw new UsageException("--model DIR is required");
        }

        return options;
    }

    private static PoolingMode? SentenceTransformersNames(string name) => name switch
    {
        "cls" => PoolingMode.Cls,
        "mean" => PoolingMode.Mean,
        "max" => PoolingMode.Max,
        "meansqrtlen" => PoolingMode.MeanSqrtLen,
        "weightedmean" => PoolingMode.WeightedMean,
        "lasttoken" => PoolingMode.LastToken,
        "none" => PoolingMode.None,
        _ => null,
    };

    private sealed class Options
    {
        public string? Model { get; set; }

        public required TextEmbedderOptions Embedder { get; init; }

        public TextPrompt? Prompt { get; set; }

        public string? Input { get; set; }

        public bool JsonLines { get; set; }

        public string? Output { get; set; }

        public string Format { get; set; } = "jsonl";
    }
}
