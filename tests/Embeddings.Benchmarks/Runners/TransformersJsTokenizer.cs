using System.Text.Json;

namespace Embeddings.Benchmarks.Runners;

/// <summary>The tokenizer numbers bench/transformersjs.mjs wrote (its full run or --tokenizer-only).</summary>
internal sealed record TransformersJsTokenizer(string Node, string Version, double LoadAverage, int Texts, long Tokens, Timing Best, double? MedianWall, double? FirstPassWall, int? WarmUpPasses)
{
    /// <summary>Reads the JSON file.</summary>
    /// <exception cref="InvalidDataException">A field is missing or has the wrong type.</exception>
    public static TransformersJsTokenizer Read(string path)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = document.RootElement;
        try
        {
            JsonElement tokenizer = root.GetProperty("tokenizer");
            double? median = null;
            if (tokenizer.TryGetProperty("passesMs", out JsonElement passes) && passes.GetArrayLength() > 0)
            {
                double[] walls = [.. passes.EnumerateArray().Select(p => p.GetDouble() / 1000).Order()];
                median = walls[walls.Length / 2];
            }

            return new TransformersJsTokenizer(
                root.GetProperty("node").GetString()!,
                root.GetProperty("transformersJs").GetString()!,
                root.GetProperty("loadAverage").GetDouble(),
                root.GetProperty("texts").GetInt32(),
                tokenizer.GetProperty("tokens").GetInt64(),
                new Timing(tokenizer.GetProperty("ms").GetDouble() / 1000, tokenizer.GetProperty("cpuMs").GetDouble() / 1000),
                median,
                tokenizer.TryGetProperty("firstPassMs", out JsonElement first) ? first.GetDouble() / 1000 : null,
                tokenizer.TryGetProperty("warmupPasses", out JsonElement warmUp) ? warmUp.GetInt32() : null);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"{path}: not a bench/transformersjs.mjs result ({ex.Message}).", ex);
        }
    }
}
