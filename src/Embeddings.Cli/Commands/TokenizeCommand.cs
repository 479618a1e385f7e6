using System.Globalization;
using System.Text.Json;
using Embeddings.Tokenization;

namespace Embeddings.Cli.Commands;

/// <summary><c>embeddings tokenize --model DIR [--max-length N] [--input PATH|-] [--jsonl]</c>: one JSON line of ids and offsets per input.</summary>
internal static class TokenizeCommand
{
    /// <summary>Runs the command; returns 0 on success, 2 on bad usage, 1 on a runtime error (one line on stderr).</summary>
    internal static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        string? model = null;
        string input = "-";
        int? maxLength = null;
        bool jsonl = false;
        try
        {
            var arguments = new CommandArguments(args, "tokenize");
            while (arguments.Next() is { } option)
            {
                switch (option)
                {
                    case "--model":
                        model = arguments.Value();
                        break;
                    case "--input":
                        input = arguments.Value();
                        break;
                    case "--max-length":
                        maxLength = arguments.PositiveInteger();
                        break;
                    case "--jsonl":
                        jsonl = true;
                        break;
                    default:
                        throw arguments.Unknown(option);
                }
            }

            if (model is null)
            {
                throw new UsageException("--model is required");
            }
        }
        catch (UsageException exception)
        {
            return BadUsage(stderr, exception.Message);
        }

        BertTokenizer tokenizer;
        try
        {
            tokenizer = BertTokenizer.FromDirectory(model);
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException or NotSupportedException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"embeddings tokenize: cannot load the tokenizer of '{model}': {CommandLine.OneLine(exception.Message)}");
            return 1;
        }

        if (maxLength is int max && max < tokenizer.SpecialTokenCount)
        {
            return BadUsage(stderr, $"--max-length must be at least {tokenizer.SpecialTokenCount.ToString(CultureInfo.InvariantCulture)} for this tokenizer");
        }

        TruncationOptions? truncation = maxLength is int limit ? new TruncationOptions { MaxLength = limit } : null;
        try
        {
            using var lines = new JsonLinesWriter(stdout);
            foreach (InputText text in InputText.ReadLines(input, jsonl, stdin))
            {
                TokenizedText encoding = tokenizer.Encode(text.Text, truncation);
                Utf8JsonWriter json = lines.BeginLine();
                json.WriteStartObject();
                JsonLinesWriter.WriteTokens(json, encoding.Ids, encoding.Offsets);
                json.WriteBoolean("truncated", encoding.IsTruncated);
                json.WriteEndObject();
                lines.EndLine();
            }
        }
        catch (InputException exception)
        {
            stderr.WriteLine($"embeddings tokenize: {CommandLine.OneLine(exception.Message)}");
            return 1;
        }

        return 0;
    }

    private static int BadUsage(TextWriter stderr, string message) => CommandLine.BadUsage(stderr, "tokenize", message);
}
