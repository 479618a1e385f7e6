using System.Globalization;

namespace Embeddings.Benchmarks.Runners;

/// <summary>Invariant-culture text helpers the runners share for their Markdown reports and console log.</summary>
internal static class RunnerText
{
    /// <summary>Formats one Markdown line, ending it with a newline.</summary>
    public static string Line(FormattableString line) => line.ToString(CultureInfo.InvariantCulture) + "\n";

    /// <summary>Formats a share as a percentage with one decimal.</summary>
    public static string Percent(double part, double whole) => string.Create(CultureInfo.InvariantCulture, $"{100 * part / whole:F1}%");

    /// <summary>Writes one progress line to the console.</summary>
    public static void Log(FormattableString message) => Console.WriteLine(message.ToString(CultureInfo.InvariantCulture));

    /// <summary>Stops the run when a sanity check fails.</summary>
    /// <exception cref="InvalidOperationException"><paramref name="condition"/> is false.</exception>
    public static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
