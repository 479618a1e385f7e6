using System.Text.Json;
using Embeddings.Imaging;
using Embeddings.Vision;

namespace Embeddings.Cli.Commands;

/// <summary><c>embeddings embed-image --model DIR [--model-file NAME] [--pooling cls|mean|pooler] [--normalize|--no-normalize] [--batch-size N] FILE...</c>: one JSON line per file.</summary>
/// <remarks>Stops at the first file that fails (exit 1, one line on stderr naming it); lines for the files before it are already written.</remarks>
internal static class EmbedImageCommand
{
    internal const string Usage =
        "usage: embeddings embed-image --model DIR [--model-file NAME] [--pooling cls|mean|pooler] [--normalize|--no-normalize] [--batch-size N] FILE...\n" +
        "  writes {\"file\":\"...\",\"embedding\":[...]} per FILE, one JSON line each, in order.\n" +
        "  pooling: cls (default: CLS token), mean (patch tokens, CLS and registers excluded), pooler (the model's own\n" +
        "  vector: image_embeds where the graph has it, as CLIP with projection does, and then the default; else pooler_output).\n" +
        "  default --no-normalize. On the first file that cannot be read or decoded, the lines of the files before it\n" +
        "  are already written; the error goes to stderr as one line naming the file and the exit code is 1.";

    /// <summary>Runs the command; returns 0 on success, 1 on a runtime error (one line on stderr); throws <see cref="UsageException"/> on bad usage.</summary>
    internal static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        _ = stdin;
        if (args.Length > 0 && args[0] is "-h" or "--help")
        {
            stdout.WriteLine(Usage);
            return 0;
        }

        string? model = null;
        var options = new ImageEmbedderOptions();
        var files = new List<string>();
        var arguments = new CommandArguments(args, "embed-image");
        while (arguments.Next() is { } arg)
        {
            switch (arg)
            {
                case "--model":
                    model = arguments.Value();
                    break;
                case "--model-file":
                    options.ModelFileName = arguments.Value();
                    break;
                case "--pooling":
                    options.Pooling = arguments.Value() switch
                    {
                        "cls" => ImagePooling.Cls,
                        "mean" => ImagePooling.Mean,
                        "pooler" => ImagePooling.PoolerOutput,
                        string other => throw new UsageException($"--pooling must be cls, mean or pooler, not '{other}'"),
                    };
                    break;
                case "--normalize":
                    options.Normalize = true;
                    break;
                case "--no-normalize":
                    options.Normalize = false;
                    break;
                case "--batch-size":
                    options.BatchSize = arguments.PositiveInteger();
                    break;
                case "--":
                    files.AddRange(arguments.Remaining());
                    break;
                default:
                    if (arg.StartsWith('-') && arg.Length > 1)
                    {
                        throw new UsageException($"unknown option '{arg}' (see embed-image --help)");
                    }

                    files.Add(arg);
                    break;
            }
        }

        if (model is null)
        {
            throw new UsageException($"--model DIR is required (see embed-image --help)");
        }

        if (files.Count == 0)
        {
            throw new UsageException($"at least one image FILE is required (see embed-image --help)");
        }

        using ImageEmbedder embedder = ImageEmbedder.Create(model, options);
        using var lines = new JsonLinesWriter(stdout);
        for (int start = 0; start < files.Count; start += options.BatchSize)
        {
            int count = Math.Min(options.BatchSize, files.Count - start);
            var inputs = new ImageInput[count];
            for (int i = 0; i < count; i++)
            {
                inputs[i] = ImageInput.FromFile(files[start + i]);
            }

            ImageEmbeddingBatch batch;
            try
            {
                batch = embedder.Embed(inputs);
            }
            catch (Exception exception) when (IsInputFailure(exception))
            {
                // Write the files before the failing one, then report it.
                for (int i = 0; i < count; i++)
                {
                    float[] vector;
                    try
                    {
                        vector = embedder.Embed(inputs[i]);
                    }
                    catch (Exception failure) when (IsInputFailure(failure))
                    {
                        stderr.WriteLine($"embeddings embed-image: {Describe(files[start + i], failure)}");
                        return 1;
                    }

                    WriteLine(lines, files[start + i], vector);
                }

                throw;
            }

            for (int i = 0; i < count; i++)
            {
                WriteLine(lines, files[start + i], batch[i]);
            }
        }

        return 0;
    }

    /// <summary>Names the file and the cause in one line, without repeating the file when the message already starts with it.</summary>
    internal static string Describe(string file, Exception exception)
    {
        string message = CommandLine.OneLine(exception.Message);
        return message.StartsWith(file + ":", StringComparison.Ordinal) ? message : $"{file}: {message}";
    }

    /// <summary>Failures that belong to one input file rather than to the model or the runtime.</summary>
    internal static bool IsInputFailure(Exception exception) =>
        exception is IOException or UnauthorizedAccessException or InvalidDataException or NotSupportedException or ImageTooLargeException;

    private static void WriteLine(JsonLinesWriter lines, string file, ReadOnlySpan<float> vector)
    {
        Utf8JsonWriter json = lines.BeginLine();
        json.WriteStartObject();
        json.WriteString("file", file);
        JsonLinesWriter.WriteFloats(json, "embedding", vector, file);
        json.WriteEndObject();
        lines.EndLine();
    }
}
