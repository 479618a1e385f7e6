using System.Globalization;
using System.Text.Json;
using Embeddings.Tables;

namespace Embeddings.Cli;

/// <summary>Vectors read for the CLI: JSON lines (an array, or an object with an "embedding"/"vector" array) or a 2-D .npy.</summary>
internal sealed class VectorFile
{
    private VectorFile(float[] values, int count, int dimension, IReadOnlyList<string?> labels)
    {
        Values = values;
        Count = count;
        Dimension = dimension;
        Labels = labels;
    }

    public float[] Values { get; }

    public int Count { get; }

    public int Dimension { get; }

    public IReadOnlyList<string?> Labels { get; }

    /// <summary>Reads vectors; <paramref name="labelField"/> names the field holding each line's label (JSON lines only).</summary>
    /// <exception cref="InvalidDataException">A line is malformed or the dimensions disagree; the message names file and line.</exception>
    public static VectorFile Read(string path, string? labelField)
    {
        if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            if (labelField is not null)
            {
                throw new UsageException("--label-field needs JSON lines input; give --labels FILE for a .npy file");
            }

            EmbeddingTable table = EmbeddingTable.FromNpy(path);
            return new VectorFile(table.Values.ToArray(), table.Rows, table.Dimension, new string?[table.Rows]);
        }

        var values = new List<float>();
        var labels = new List<string?>();
        int dimension = -1;
        foreach ((int lineNumber, string line) in InputText.ReadFile(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            string at = string.Create(CultureInfo.InvariantCulture, $"{path}:{lineNumber}");
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line);
            }
            catch (JsonException exception)
            {
                throw new InvalidDataException($"{at}: not valid JSON: {exception.Message}", exception);
            }

            using (document)
            {
                JsonElement root = document.RootElement;
                JsonElement array = root;
                string? label = null;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    if (!root.TryGetProperty("embedding", out array) && !root.TryGetProperty("vector", out array))
                    {
                        throw new InvalidDataException($"{at}: expected an \"embedding\" (or \"vector\") array in the object.");
                    }

                    if (labelField is not null)
                    {
                        if (!root.TryGetProperty(labelField, out JsonElement labelElement))
                        {
                            throw new InvalidDataException($"{at}: no \"{labelField}\" field for the label.");
                        }

                        label = labelElement.ValueKind == JsonValueKind.String ? labelElement.GetString() : labelElement.GetRawText();
                    }
                }
                else if (labelField is not null)
                {
                    throw new InvalidDataException($"{at}: --label-field needs JSON objects, found a bare array.");
                }

                if (array.ValueKind != JsonValueKind.Array)
                {
                    throw new InvalidDataException($"{at}: expected an array of numbers.");
                }

                int length = array.GetArrayLength();
                if (dimension < 0)
                {
                    dimension = length;
                }
                else if (length != dimension)
                {
                    throw new InvalidDataException($"{at}: a vector of {length} values; the first had {dimension}.");
                }

                foreach (JsonElement value in array.EnumerateArray())
                {
                    if (value.ValueKind != JsonValueKind.Number || !value.TryGetSingle(out float number) || !float.IsFinite(number))
                    {
                        throw new InvalidDataException($"{at}: '{value.GetRawText()}' is not a finite number.");
                    }

                    values.Add(number);
                }

                labels.Add(label);
            }
        }

        if (dimension <= 0)
        {
            throw new InvalidDataException($"{path}: no vectors found.");
        }

        return new VectorFile([.. values], labels.Count, dimension, labels);
    }
}
