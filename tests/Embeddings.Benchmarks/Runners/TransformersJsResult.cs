using System.Text.Json;

namespace Embeddings.Benchmarks.Runners;

/// <summary>The numbers bench/transformersjs.mjs wrote for the same corpus and model.</summary>
internal sealed record TransformersJsResult(
    string Node,
    string Version,
    string OnnxRuntimeNode,
    double LoadAverage,
    int Texts,
    int Dimension,
    long TruncatedTokens,
    Timing Arrival,
    long ArrivalPaddedTokens,
    Timing Sorted,
    long SortedPaddedTokens)
{
    /// <summary>Reads the JSON file.</summary>
    /// <exception cref="InvalidDataException">A field is missing or has the wrong type.</exception>
    public static TransformersJsResult Read(string path)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = document.RootElement;
        try
        {
            return new TransformersJsResult(
                root.GetProperty("node").GetString()!,
                root.GetProperty("transformersJs").GetString()!,
                root.GetProperty("onnxruntimeNode").GetString()!,
                root.GetProperty("loadAverage").GetDouble(),
                root.GetProperty("texts").GetInt32(),
                root.GetProperty("dimension").GetInt32(),
                root.GetProperty("truncatedTokens").GetInt64(),
                ReadTiming(root.GetProperty("arrival")),
                root.GetProperty("arrival").GetProperty("paddedTokens").GetInt64(),
                ReadTiming(root.GetProperty("sorted")),
                root.GetProperty("sorted").GetProperty("paddedTokens").GetInt64());
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"{path}: not a bench/transformersjs.mjs result ({ex.Message}).", ex);
        }
    }

    private static Timing ReadTiming(JsonElement element) =>
        new(element.GetProperty("ms").GetDouble() / 1000, element.GetProperty("cpuMs").GetDouble() / 1000);

    /// <summary>Reads the float32 vectors file written with --vectors, texts × dimension.</summary>
    public float[] ReadVectors(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length != Texts * Dimension * sizeof(float))
        {
            throw new InvalidDataException($"{path}: {bytes.Length} bytes, expected {Texts} × {Dimension} float32.");
        }

        var vectors = new float[Texts * Dimension];
        Buffer.BlockCopy(bytes, 0, vectors, 0, bytes.Length);
        return vectors;
    }
}
