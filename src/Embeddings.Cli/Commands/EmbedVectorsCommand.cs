using System.Globalization;
using System.Numerics.Tensors;
using System.Text.Json;
using Embeddings.WordVectors;

namespace Embeddings.Cli.Commands;

/// <summary><c>embeddings embed --vectors FILE [--input PATH|-] [--jsonl] [--counts FILE [--sif-a A]] [--lowercase]
/// [--normalize] [--format F]</c>: one sentence vector (the mean of the known words' vectors) per input line.</summary>
/// <remarks>Each output line is <c>{"embedding": [...], "known": N, "unknown": [...]}</c>; a line without any known word
/// gets a zero vector and is also reported on stderr.</remarks>
internal static class EmbedVectorsCommand
{
    public const string Usage =
        "usage: embeddings embed --vectors FILE [--input PATH|-] [--jsonl] [--counts FILE [--sif-a A]] [--lowercase]\n" +
        "                        [--normalize] [--format auto|word2vec|word2vec-binary|glove] [--max-words N]";

    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        string? vectors = null;
        string input = "-";
        bool jsonl = false;
        string? counts = null;
        double sifA = 1e-3;
        bool normalize = false;
        var options = new WordVectorOptions();
        var arguments = new CommandArguments(args, "embed");
        while (arguments.Next() is { } option)
        {
            switch (option)
            {
                case "--vectors":
                    vectors = arguments.Value();
                    break;
                case "--input":
                    input = arguments.Value();
                    break;
                case "--jsonl":
                    jsonl = true;
                    break;
                case "--counts":
                    counts = arguments.Value();
                    break;
                case "--sif-a":
                    sifA = arguments.PositiveDouble();
                    break;
                case "--lowercase":
                    options.LowercaseFallback = true;
                    break;
                case "--normalize":
                    normalize = true;
                    break;
                case "--format":
                    options.Format = WordsCommand.ParseFormat(arguments.Value());
                    break;
                case "--max-words":
                    options.MaxWords = arguments.PositiveInteger();
                    break;
                default:
                    throw arguments.Unknown(option);
            }
        }

        if (vectors is null)
        {
            throw new UsageException("--vectors is required");
        }

        WordVectorSet set = WordVectorSet.Load(vectors, options);
        float[] weights = counts is null ? [] : set.CreateSifWeights(ReadCounts(counts), sifA);
        string source = InputText.SourceName(input);
        var vector = new float[set.Dimension];
        using var lines = new JsonLinesWriter(stdout);
        // All lines are read first, as embed does: a malformed input fails before any output or warning is written.
        foreach (InputText text in InputText.Read(input, jsonl, stdin))
        {
            string at = InputText.Locate(source, text.Line);
            SentenceVectorResult result = set.ComputeSentenceVector(text.Text, vector, weights);
            if (result.KnownWords == 0)
            {
                stderr.WriteLine($"embeddings embed: {at}: no known word; the vector is zero");
            }
            else if (normalize)
            {
                TensorPrimitives.Divide(vector, Math.Max(TensorPrimitives.Norm(vector), 1e-12f), vector);
            }

            Utf8JsonWriter json = lines.BeginLine();
            json.WriteStartObject();
            JsonLinesWriter.WriteFloats(json, "embedding", vector, at);
            json.WriteNumber("known", result.KnownWords);
            json.WriteStartArray("unknown");
            foreach (string word in result.UnknownWords)
            {
                json.WriteStringValue(word);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            lines.EndLine();
        }

        return 0;
    }

    /// <summary>Reads "word count" lines (word2vec's -save-vocab format); blank lines are skipped.</summary>
    private static IEnumerable<KeyValuePair<string, long>> ReadCounts(string path)
    {
        foreach ((int lineNumber, string line) in InputText.ReadFile(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            int space = line.LastIndexOfAny([' ', '\t']);
            if (space <= 0 || !long.TryParse(line.AsSpan(space + 1), NumberStyles.None, CultureInfo.InvariantCulture, out long count))
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{path}:{lineNumber}: expected 'word count', found '{line}'."));
            }

            yield return new KeyValuePair<string, long>(line[..space].TrimEnd(), count);
        }
    }
}
