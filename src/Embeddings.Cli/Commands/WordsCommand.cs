using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Embeddings.WordVectors;

namespace Embeddings.Cli.Commands;

/// <summary><c>embeddings words --vectors FILE --nearest WORD [--k N] [--format F] [--lowercase] [--max-words N]</c>:
/// the words closest to a word by cosine similarity, one JSON line each.</summary>
internal static class WordsCommand
{
    public const string Usage =
        "usage: embeddings words --vectors FILE --nearest WORD [--k N] [--format auto|word2vec|word2vec-binary|glove]\n" +
        "                        [--lowercase] [--max-words N]";

    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        _ = stdin;
        string? vectors = null;
        var nearest = new List<string>();
        int k = 10;
        var options = new WordVectorOptions();
        var arguments = new CommandArguments(args, "words");
        while (arguments.Next() is { } option)
        {
            switch (option)
            {
                case "--vectors":
                    vectors = arguments.Value();
                    break;
                case "--nearest":
                    nearest.Add(arguments.Value());
                    break;
                case "--k":
                    k = arguments.PositiveInteger();
                    break;
                case "--format":
                    options.Format = ParseFormat(arguments.Value());
                    break;
                case "--lowercase":
                    options.LowercaseFallback = true;
                    break;
                case "--max-words":
                    options.MaxWords = arguments.PositiveInteger();
                    break;
                default:
                    throw arguments.Unknown(option);
            }
        }

        if (vectors is null || nearest.Count == 0)
        {
            throw new UsageException("--vectors and --nearest are required");
        }

        var clock = Stopwatch.StartNew();
        WordVectorSet set = WordVectorSet.Load(vectors, options);
        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loaded {set.Count} words × {set.Dimension} from {vectors} in {clock.Elapsed.TotalSeconds:F2} s"));
        using var lines = new JsonLinesWriter(stdout);
        foreach (string word in nearest)
        {
            IReadOnlyList<WordNeighbor> neighbors = set.FindNearest(word, k);
            foreach (WordNeighbor neighbor in neighbors)
            {
                Utf8JsonWriter json = lines.BeginLine();
                json.WriteStartObject();
                json.WriteString("query", word);
                json.WriteString("word", neighbor.Word);
                json.WriteNumber("similarity", neighbor.Similarity);
                json.WriteEndObject();
                lines.EndLine();
            }
        }

        return 0;
    }

    /// <summary>Maps a --format value to a <see cref="WordVectorFormat"/>.</summary>
    public static WordVectorFormat ParseFormat(string value) => value switch
    {
        "auto" => WordVectorFormat.Auto,
        "word2vec" or "word2vec-text" or "fasttext" or "vec" => WordVectorFormat.Word2VecText,
        "word2vec-binary" or "bin" => WordVectorFormat.Word2VecBinary,
        "glove" => WordVectorFormat.GloVeText,
        _ => throw new UsageException($"--format must be auto, word2vec, word2vec-binary or glove, not '{value}'"),
    };
}
