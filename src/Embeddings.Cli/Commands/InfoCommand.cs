using System.Text.Json;
using System.Text.Json.Serialization;
using Embeddings.Inference;
using Embeddings.Text;
using Embeddings.Vision;

namespace Embeddings.Cli.Commands;

/// <summary><c>embeddings info --model DIR|FILE</c>: the runtime version, the model's inputs and outputs, and for a model
/// folder the settings a text or image embedder resolves from it, as JSON.</summary>
/// <remarks>
/// A folder with <c>preprocessor_config.json</c> is opened as an image embedder (key <c>"image"</c>), a folder with
/// <c>tokenizer.json</c> or <c>vocab.txt</c> as a text embedder (key <c>"text"</c>); other folders get neither key. When the folder cannot serve as one, the key holds <c>{"error": "..."}</c>.
/// If the cause is the graph (its inputs or outputs are not an encoder's) or unsupported content, the command still
/// succeeds: describing such a model is its job. If a configuration file is missing or malformed, the JSON is written
/// all the same, and the command fails (exit 1) with that error on one stderr line, as every command does on bad input.
/// </remarks>
internal static class InfoCommand
{
    private static readonly JsonSerializerOptions SettingsJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter() },
    };

    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        _ = stdin;
        string? model = null;
        var arguments = new CommandArguments(args, "info");
        while (arguments.Next() is { } option)
        {
            switch (option)
            {
                case "--model":
                    model = arguments.Value();
                    break;
                default:
                    throw arguments.Unknown(option);
            }
        }

        if (model is null)
        {
            throw new UsageException("--model DIR is required");
        }

        var onnxPath = FindOnnxFile(model);
        string? brokenFile = null;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            using (var session = InferenceSession.Create(onnxPath))
            {
                json.WriteStartObject("onnxruntime");
                json.WriteString("version", InferenceSession.RuntimeVersion);
                json.WriteString("library", InferenceSession.RuntimeLibraryPath);
                json.WriteEndObject();
                json.WriteString("model", onnxPath);
                WriteNodes(json, "inputs", session.Inputs);
                WriteNodes(json, "outputs", session.Outputs);
            }

            // The folder is opened again as an embedder after the first session is gone, so one model is loaded at a time.
            if (Directory.Exists(model))
            {
                brokenFile = WriteSettings(json, model, onnxPath);
            }

            json.WriteEndObject();
        }

        stdout.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        if (brokenFile is not null)
        {
            stderr.WriteLine($"embeddings info: {brokenFile}");
            return 1;
        }

        return 0;
    }

    /// <summary>Finds the ONNX file of a model folder (<c>onnx/model.onnx</c>, then <c>model.onnx</c>, then a single .onnx file), or takes a file as is.</summary>
    public static string FindOnnxFile(string model)
    {
        if (File.Exists(model))
        {
            return Path.GetFullPath(model);
        }

        if (!Directory.Exists(model))
        {
            throw new FileNotFoundException($"model '{model}' is neither a folder nor a file");
        }

        foreach (var candidate in new[] { Path.Combine(model, "onnx", "model.onnx"), Path.Combine(model, "model.onnx") })
        {
            if (File.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        var found = Directory.GetFiles(model, "*.onnx").Concat(Directory.Exists(Path.Combine(model, "onnx")) ? Directory.GetFiles(Path.Combine(model, "onnx"), "*.onnx") : []).ToArray();
        return found.Length == 1
            ? Path.GetFullPath(found[0])
            : throw new FileNotFoundException(found.Length == 0
                ? $"model folder '{model}' has no onnx/model.onnx, model.onnx or other .onnx file"
                : $"model folder '{model}' has several .onnx files ({string.Join(", ", found.Select(Path.GetFileName))}); name one");
    }

    /// <summary>Writes what a text or image embedder resolves from the folder, or why it cannot open it; nothing for a folder that is neither.</summary>
    /// <returns>The error when a configuration file is missing or malformed (not when the graph or unsupported content is the cause), else null.</returns>
    private static string? WriteSettings(Utf8JsonWriter json, string folder, string onnxPath)
    {
        string onnxFile = Path.GetFileName(onnxPath);
        bool image = File.Exists(Path.Combine(folder, "preprocessor_config.json"));
        if (!image && !File.Exists(Path.Combine(folder, "tokenizer.json")) && !File.Exists(Path.Combine(folder, "vocab.txt")))
        {
            return null;
        }

        json.WritePropertyName(image ? "image" : "text");
        try
        {
            if (image)
            {
                using ImageEmbedder embedder = ImageEmbedder.Create(folder, new ImageEmbedderOptions { ModelFileName = onnxFile });
                JsonSerializer.Serialize(json, embedder.Settings, SettingsJson);
            }
            else
            {
                using TextEmbedder embedder = TextEmbedder.Create(folder, new TextEmbedderOptions { ModelFileName = onnxFile });
                JsonSerializer.Serialize(json, embedder.Settings, SettingsJson);
            }
        }
        catch (Exception exception) when (exception is InvalidDataException or NotSupportedException or FileNotFoundException or ArgumentException or EmbeddingsException)
        {
            string message = CommandLine.OneLine(exception.Message);
            json.WriteStartObject();
            json.WriteString("error", message);
            json.WriteEndObject();

            // Errors name their file: one about the graph info has just described is a finding, any other file is broken.
            bool aboutGraph = message.StartsWith(onnxPath, StringComparison.Ordinal);
            return exception is InvalidDataException or FileNotFoundException && !aboutGraph ? message : null;
        }

        return null;
    }

    private static void WriteNodes(Utf8JsonWriter json, string property, IReadOnlyList<NodeInfo> nodes)
    {
        json.WriteStartArray(property);
        foreach (var node in nodes)
        {
            json.WriteStartObject();
            json.WriteString("name", node.Name);
            json.WriteString("type", node.IsTensor ? ElementTypeName(node.ElementType) : "non-tensor");
            json.WriteStartArray("shape");
            for (var d = 0; d < node.Shape.Count; d++)
            {
                if (node.SymbolicShape[d] is { } symbol)
                {
                    json.WriteStringValue(symbol);
                }
                else if (node.Shape[d] < 0)
                {
                    json.WriteNullValue();
                }
                else
                {
                    json.WriteNumberValue(node.Shape[d]);
                }
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static string ElementTypeName(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float32",
        TensorElementType.Double => "float64",
        TensorElementType.Float16 => "float16",
        TensorElementType.BFloat16 => "bfloat16",
        TensorElementType.Int64 => "int64",
        TensorElementType.Int32 => "int32",
        TensorElementType.Int16 => "int16",
        TensorElementType.Int8 => "int8",
        TensorElementType.UInt8 => "uint8",
        TensorElementType.UInt16 => "uint16",
        TensorElementType.UInt32 => "uint32",
        TensorElementType.UInt64 => "uint64",
        TensorElementType.Bool => "bool",
        TensorElementType.String => "string",
        _ => type.ToString().ToLowerInvariant(),
    };
}
