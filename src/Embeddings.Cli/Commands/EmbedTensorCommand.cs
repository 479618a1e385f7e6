using System.Text.Json;
using Embeddings.Encoders;

namespace Embeddings.Cli.Commands;

/// <summary><c>embeddings embed-tensor --model DIR|FILE --output-name NAME [--input-name NAME]
/// [--pooling auto|avg|mean|max|flatten|cls] [--normalize] [--batch N] (IMAGE... | --input vectors.jsonl|.npy)</c>:
/// one pooled vector per image or input row from any ONNX model, as JSON lines.</summary>
/// <remarks>ONNX Runtime returns graph outputs only: an intermediate layer must be exported as an extra graph output
/// to be named by --output-name.</remarks>
internal static class EmbedTensorCommand
{
    public const string Usage =
        "usage: embeddings embed-tensor --model DIR|FILE --output-name NAME [--input-name NAME]\n" +
        "                               [--pooling auto|avg|mean|max|flatten|cls] [--normalize] [--batch N]\n" +
        "                               (IMAGE... | --input vectors.jsonl|vectors.npy)";

    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        _ = stdin;
        _ = stderr;
        string? model = null;
        string? input = null;
        int batch = 16;
        var options = new TensorEncoderOptions();
        var images = new List<string>();
        var arguments = new CommandArguments(args, "embed-tensor");
        while (arguments.Next() is { } option)
        {
            switch (option)
            {
                case "--model":
                    model = arguments.Value();
                    break;
                case "--output-name":
                    options.OutputName = arguments.Value();
                    break;
                case "--input-name":
                    options.InputName = arguments.Value();
                    break;
                case "--pooling":
                    options.Pooling = ParsePooling(arguments.Value());
                    break;
                case "--normalize":
                    options.Normalize = true;
                    break;
                case "--batch":
                    batch = arguments.PositiveInteger();
                    break;
                case "--input":
                    input = arguments.Value();
                    break;
                case "--image":
                    images.Add(arguments.Value());
                    break;
                default:
                    if (option.StartsWith('-'))
                    {
                        throw arguments.Unknown(option);
                    }

                    images.Add(option);
                    break;
            }
        }

        if (model is null || options.OutputName is null)
        {
            throw new UsageException("--model and --output-name are required");
        }

        if ((input is null) == (images.Count == 0))
        {
            throw new UsageException($"give either image files or --input vectors, not {(input is null ? "neither" : "both")}");
        }

        using TensorEncoder encoder = TensorEncoder.Create(model, options);
        using var lines = new JsonLinesWriter(stdout);
        if (input is not null)
        {
            VectorFile vectors = VectorFile.Read(input, null);
            for (int start = 0; start < vectors.Count; start += batch)
            {
                int count = Math.Min(batch, vectors.Count - start);
                ReadOnlyMemory<float> slice = vectors.Values.AsMemory(start * vectors.Dimension, count * vectors.Dimension);
                TensorEmbeddings embeddings = encoder.Encode(slice, count, vectors.Dimension);
                for (int i = 0; i < count; i++)
                {
                    Write(lines, $"{input}#{start + i}", embeddings[i]);
                }
            }

            return 0;
        }

        if (!encoder.CanEncodeImages)
        {
            throw new InvalidOperationException($"{encoder.ModelPath}: no preprocessor_config.json next to the model, so images cannot be preprocessed; give --input vectors instead.");
        }

        for (int start = 0; start < images.Count; start += batch)
        {
            List<string> group = images.GetRange(start, Math.Min(batch, images.Count - start));
            TensorEmbeddings embeddings = encoder.EncodeImageFiles(group);
            for (int i = 0; i < group.Count; i++)
            {
                Write(lines, group[i], embeddings[i]);
            }
        }

        return 0;
    }

    private static TensorPooling ParsePooling(string value) => value switch
    {
        "auto" => TensorPooling.Auto,
        "avg" or "average" or "mean" => TensorPooling.Average,
        "max" => TensorPooling.Max,
        "flatten" => TensorPooling.Flatten,
        "cls" => TensorPooling.Cls,
        _ => throw new UsageException($"--pooling must be auto, avg, mean, max, flatten or cls, not '{value}'"),
    };

    private static void Write(JsonLinesWriter lines, string source, ReadOnlySpan<float> vector)
    {
        Utf8JsonWriter json = lines.BeginLine();
        json.WriteStartObject();
        json.WriteString("input", source);
        JsonLinesWriter.WriteFloats(json, "embedding", vector, source);
        json.WriteEndObject();
        lines.EndLine();
    }
}
