using Embeddings.Hub;

namespace Embeddings.Cli;

/// <summary><c>embeddings download org/name</c>: fetches a model into the Hugging Face cache and prints its snapshot folder.</summary>
/// <remarks>
/// Options: <c>--revision R</c> (default main), <c>--cache DIR</c>, <c>--offline</c>, <c>--include FILE</c> (repeatable),
/// <c>--onnx FILE</c> (an ONNX variant), <c>--image</c> (an image model), <c>--endpoint URL</c>. The token comes from
/// <c>HF_TOKEN</c>, never from the command line where other users could read it.
/// </remarks>
internal static class DownloadCommand
{
    public const string Usage =
        "download org/name [--revision R] [--cache DIR] [--offline] [--include FILE]... [--onnx FILE] [--image] [--endpoint URL]";

    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        _ = stdin;
        _ = stderr;
        string? repoId = null;
        string? revision = null;
        var options = new ModelDownloadOptions();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--revision":
                    revision = Value(args, ref i);
                    break;
                case "--cache":
                    options.CacheDirectory = Value(args, ref i);
                    break;
                case "--offline":
                    options.Offline = true;
                    break;
                case "--include":
                    options.ExtraFiles.Add(Value(args, ref i));
                    break;
                case "--onnx":
                    options.OnnxFile = Value(args, ref i);
                    break;
                case "--image":
                    options.Kind = ModelKind.Image;
                    break;
                case "--endpoint":
                    string endpoint = Value(args, ref i);
                    options.Endpoint = Uri.TryCreate(endpoint, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                        ? uri
                        : throw new UsageException($"--endpoint '{endpoint}' is not an absolute http or https URL");
                    break;
                default:
                    if (args[i].StartsWith('-'))
                    {
                        throw new UsageException($"unknown option '{args[i]}'");
                    }

                    repoId = repoId is null ? args[i] : throw new UsageException($"one repository at a time (got '{repoId}' and '{args[i]}')");
                    break;
            }
        }

        if (repoId is null)
        {
            throw new UsageException("a repository id (org/name) is required");
        }

        ModelDownloader downloader;
        try
        {
            downloader = ModelDownloader.Create(options);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }

        using (downloader)
        {
            string snapshot;
            try
            {
                snapshot = downloader.DownloadAsync(repoId, revision).GetAwaiter().GetResult();
            }
            catch (ArgumentException ex)
            {
                throw new UsageException(ex.Message);
            }

            stdout.WriteLine(snapshot);
        }

        return 0;
    }

    private static string Value(string[] args, ref int i) =>
        i + 1 < args.Length ? args[++i] : throw new UsageException($"option '{args[i]}' needs a value");
}
