using Embeddings.Cli.Commands;

namespace Embeddings.Cli;

/// <summary>Dispatches <c>embeddings</c> commands: exit 0 on success, 2 on bad usage, 1 on a runtime error.</summary>
/// <remarks>Every failure becomes one line on stderr naming the input and the cause; no exception escapes.</remarks>
internal static class CommandLine
{
    public const string Usage =
        "usage: embeddings <command> [options]\n" +
        "commands:\n" +
        "  info --model DIR|FILE.onnx\n" +
        "        ONNX Runtime version, the model's inputs and outputs, and a folder's resolved text or image settings (JSON)\n" +
        "  tokenize --model DIR [--max-length N] [--input PATH|-] [--jsonl]\n" +
        "  embed --model DIR [--model-file NAME] [--pooling cls|mean|max|meansqrtlen|weightedmean|lasttoken|none]\n" +
        "        [--normalize|--no-normalize] [--max-length N] [--batch-tokens N] [--long-text truncate|error|chunk] [--chunk-overlap N]\n" +
        "        [--prompt TEXT|--prompt-name NAME] [--input PATH|-] [--jsonl] [--output PATH] [--format jsonl|npy]\n" +
        "  ner --model DIR [--model-file NAME] [--aggregation simple|first] [--max-length N] [--stride N] [--batch-tokens N]\n" +
        "        [--input PATH|-] [--jsonl] [--output PATH]\n" +
        "  embed-image --model DIR [--model-file NAME] [--pooling cls|mean|pooler] [--normalize|--no-normalize] [--batch-size N] FILE...\n" +
        "  preprocess-image --model DIR FILE\n" +
        "  embed --vectors FILE [--input PATH|-] [--jsonl] [--counts FILE [--sif-a A]] [--lowercase] [--normalize]\n" +
        "        [--format auto|word2vec|word2vec-binary|glove] [--max-words N]   sentence vectors from static word vectors\n" +
        "  words --vectors FILE --nearest WORD [--k N] [--format auto|word2vec|word2vec-binary|glove] [--lowercase] [--max-words N]\n" +
        "  embed-tensor --model DIR|FILE --output-name NAME [--input-name NAME] [--pooling auto|avg|mean|max|flatten|cls]\n" +
        "        [--normalize] [--batch N] (IMAGE... | --input vectors.jsonl|vectors.npy)\n" +
        "  plot --input vectors.jsonl|vectors.npy [--labels FILE|--label-field F] --method pca|tsne [--perplexity P]\n" +
        "        [--seed S] [--iterations N] [--title TEXT] --output space.html\n" +
        "  download org/name [--revision R] [--cache DIR] [--offline] [--include FILE]... [--onnx FILE] [--image] [--endpoint URL]\n" +
        "--model-file: the ONNX file to use instead of model.onnx (onnx/NAME, then NAME), e.g. model_quantized.onnx.\n" +
        "inputs: one text per line, or with --jsonl (or a .jsonl path) one JSON string or {\"text\": ...} object per line.\n" +
        "exit codes: 0 success; 2 bad usage (unknown command or option, missing, malformed or out-of-range option value); 1 any other\n" +
        "error (a missing, unreadable or malformed model, input or image). Every failure is one line on stderr.";

    private const string UsageHint = "run 'embeddings --help' for usage";

    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0)
        {
            stderr.WriteLine($"embeddings: a command is required; {UsageHint}");
            return 2;
        }

        if (args[0] is "-h" or "--help" or "help")
        {
            stdout.WriteLine(Usage);
            return 0;
        }

        var command = args[0];
        var rest = args[1..];
        try
        {
            return command switch
            {
                "info" => InfoCommand.Run(rest, stdin, stdout, stderr),
                "tokenize" => TokenizeCommand.Run(rest, stdin, stdout, stderr),
                "download" => DownloadCommand.Run(rest, stdin, stdout, stderr),
                "embed" when Array.IndexOf(rest, "--vectors") >= 0 => EmbedVectorsCommand.Run(rest, stdin, stdout, stderr),
                "embed" => EmbedCommand.Run(rest, stdin, stdout, stderr),
                "ner" => NerCommand.Run(rest, stdin, stdout, stderr),
                "words" => WordsCommand.Run(rest, stdin, stdout, stderr),
                "embed-tensor" => EmbedTensorCommand.Run(rest, stdin, stdout, stderr),
                "plot" => PlotCommand.Run(rest, stdin, stdout, stderr),
                "embed-image" => EmbedImageCommand.Run(rest, stdin, stdout, stderr),
                "preprocess-image" => PreprocessImageCommand.Run(rest, stdin, stdout, stderr),
                _ => throw new UsageException($"unknown command '{command}'"),
            };
        }
        catch (UsageException ex)
        {
            return BadUsage(stderr, command, ex.Message);
        }
        catch (Exception ex)
        {
            stderr.WriteLine($"embeddings {command}: {OneLine(ex.Message)}");
            return 1;
        }
    }

    /// <summary>Writes a usage error as one line, with a pointer to the help unless it has one, and returns exit code 2.</summary>
    public static int BadUsage(TextWriter stderr, string command, string message)
    {
        string line = OneLine(message);
        stderr.WriteLine(line.Contains("--help", StringComparison.Ordinal) ? $"embeddings {command}: {line}" : $"embeddings {command}: {line}; {UsageHint}");
        return 2;
    }

    /// <summary>Creates a model's embedder, turning an option out of range for that model into bad usage (exit 2).</summary>
    /// <remarks>Only the model can tell some option values wrong: <c>--max-length</c> over its positions or within its special tokens.</remarks>
    public static T WithOptionsAsUsage<T>(Func<T> create)
    {
        try
        {
            return create();
        }
        catch (ArgumentOutOfRangeException exception) when (exception.ParamName == "options")
        {
            throw new UsageException(exception.Message);
        }
    }

    /// <summary>Collapses a message to one line, as the CLI contract requires.</summary>
    public static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}

/// <summary>Bad command-line usage: exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
