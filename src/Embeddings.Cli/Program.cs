using System.Text;

namespace Embeddings.Cli;

internal static class Program
{
    public static int Main(string[] args)
    {
        // stdin as a StreamReader over the raw bytes: InputText reads it byte by byte, so invalid UTF-8 is reported, not replaced.
        using var stdin = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false, throwOnInvalidBytes: true));
        return CommandLine.Run(args, stdin, Console.Out, Console.Error);
    }
}
