using System.Globalization;
using System.Text;
using Embeddings.Projection;

namespace Embeddings.Cli.Commands;

/// <summary><c>embeddings plot --input vectors.jsonl|.npy [--labels FILE|--label-field F] --method pca|tsne
/// [--perplexity P] [--seed S] [--iterations N] [--title T] --output space.html</c>: a self-contained HTML scatter plot.</summary>
internal static class PlotCommand
{
    public const string Usage =
        "usage: embeddings plot --input vectors.jsonl|vectors.npy [--labels FILE|--label-field F] --method pca|tsne\n" +
        "                       [--perplexity P] [--seed S] [--iterations N] [--title TEXT] --output space.html";

    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        _ = stdin;
        _ = stderr;
        string? input = null;
        string? output = null;
        string? labelsFile = null;
        string? labelField = null;
        string? method = null;
        string? title = null;
        var tsne = new TsneOptions();
        var arguments = new CommandArguments(args, "plot");
        while (arguments.Next() is { } option)
        {
            switch (option)
            {
                case "--input":
                    input = arguments.Value();
                    break;
                case "--output":
                    output = arguments.Value();
                    break;
                case "--labels":
                    labelsFile = arguments.Value();
                    break;
                case "--label-field":
                    labelField = arguments.Value();
                    break;
                case "--method":
                    method = arguments.Value();
                    break;
                case "--perplexity":
                    tsne.Perplexity = arguments.PositiveDouble();
                    break;
                case "--seed":
                    tsne.Seed = arguments.Integer();
                    break;
                case "--iterations":
                    tsne.Iterations = arguments.PositiveInteger();
                    break;
                case "--title":
                    title = arguments.Value();
                    break;
                default:
                    throw arguments.Unknown(option);
            }
        }

        if (input is null || output is null || method is null)
        {
            throw new UsageException("--input, --method and --output are required");
        }

        if (method is not ("pca" or "tsne"))
        {
            throw new UsageException($"--method must be pca or tsne, not '{method}'");
        }

        if (labelsFile is not null && labelField is not null)
        {
            throw new UsageException("give either --labels FILE or --label-field F, not both");
        }

        VectorFile vectors = VectorFile.Read(input, labelField);
        IReadOnlyList<string?>? labels = labelField is not null ? vectors.Labels : null;
        if (labelsFile is not null)
        {
            string[] lines = [.. InputText.ReadFile(labelsFile).Select(line => line.Text)];
            if (lines.Length != vectors.Count && !(lines.Length == vectors.Count + 1 && lines[^1].Length == 0))
            {
                throw new InvalidDataException($"{labelsFile}: {lines.Length} labels for the {vectors.Count} vectors of {input}; give one label per line.");
            }

            labels = lines[..vectors.Count];
        }

        if (vectors.Count < 2)
        {
            throw new InvalidDataException($"{input}: {vectors.Count} vector(s); a plot needs at least 2.");
        }

        float[] points;
        string detail;
        if (method == "pca")
        {
            Pca pca = Pca.Fit(vectors.Values, vectors.Dimension, 2, tsne.Seed);
            points = pca.Transform(vectors.Values);
            detail = string.Create(CultureInfo.InvariantCulture, $"explained variance {pca.ExplainedVariance[0]:G4}, {pca.ExplainedVariance[1]:G4}");
        }
        else
        {
            if (tsne.Perplexity >= vectors.Count)
            {
                throw new UsageException($"--perplexity must be below the number of vectors ({vectors.Count}); 30 is the default");
            }

            TsneResult result = Tsne.Embed(vectors.Values, vectors.Dimension, tsne);
            points = result.Points;
            detail = string.Create(CultureInfo.InvariantCulture, $"KL divergence {result.KlDivergence:G4} after {result.Iterations} iterations");
        }

        var plot = new ScatterPlotOptions
        {
            Title = title ?? string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(input)}: {vectors.Count} vectors, {(method == "pca" ? "PCA" : "t-SNE")}"),
        };
        using (var writer = new StreamWriter(output, append: false, new UTF8Encoding(false)))
        {
            ScatterPlot.WriteHtml(writer, points, labels, plot);
        }

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {output}: {vectors.Count} points of dimension {vectors.Dimension}, {method}, {detail}"));
        return 0;
    }
}
