using System.Diagnostics;
using System.Globalization;
using System.Text;
using Embeddings.Imaging;

namespace Embeddings.Benchmarks.Runners;

/// <summary>Decodes every file of a folder with the library's decoder and writes the raw RGB, for models/scripts/decoder_sweep.py to compare with Pillow.</summary>
/// <remarks>Writes <c>NAME.rgb</c> (width and height as little-endian int32, then RGB rows) and one line per file to <c>results.tsv</c>: name, outcome (ok or the exception type), width, height, CPU milliseconds, message.</remarks>
internal static class DecodeDumpRunner
{
    /// <summary>Runs the dump over <c>--in DIR</c> into <c>--out DIR</c>; <c>--scalar</c> forces the JPEG decoder's scalar paths.</summary>
    public static int Run(RunnerArguments args)
    {
        string input = args.Text("in") ?? throw new ArgumentException("decode-dump needs --in DIR.", nameof(args));
        string output = args.Text("out") ?? throw new ArgumentException("decode-dump needs --out DIR.", nameof(args));
        Directory.CreateDirectory(output);

        // The scalar fallbacks (machines without AVX2) must give the same pixels; --scalar checks them on this machine.
        bool scalar = args.Has("scalar");
        JpegIdct.ForceScalar = scalar;
        JpegColorConverter.ForceScalar = scalar;
        JpegUpsampler.ForceScalar = scalar;
        var lines = new StringBuilder();
        string[] files = Directory.GetFiles(input);
        Array.Sort(files, StringComparer.Ordinal);
        foreach (string file in files)
        {
            string name = Path.GetFileName(file);
            byte[] data = File.ReadAllBytes(file);
            TimeSpan before = Process.GetCurrentProcess().TotalProcessorTime;
            string outcome, message = string.Empty;
            int width = 0, height = 0;
            try
            {
                using RgbImage image = ImageDecoder.Decode(data, sourceName: name);
                width = image.Width;
                height = image.Height;
                using var stream = File.Create(Path.Combine(output, name + ".rgb"));
                stream.Write(BitConverter.GetBytes(width));
                stream.Write(BitConverter.GetBytes(height));
                stream.Write(image.Pixels.AsSpan(0, width * height * 3));
                outcome = "ok";
            }
#pragma warning disable CA1031 // Every failure is a result to report, not to handle.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                outcome = exception.GetType().Name;
                message = exception.Message.ReplaceLineEndings(" ").Replace('\t', ' ');
            }

            double milliseconds = (Process.GetCurrentProcess().TotalProcessorTime - before).TotalMilliseconds;
            lines.Append(CultureInfo.InvariantCulture, $"{name}\t{outcome}\t{width}\t{height}\t{milliseconds:F1}\t{message}\n");
        }

        File.WriteAllText(Path.Combine(output, "results.tsv"), lines.ToString());
        Console.WriteLine($"decoded {files.Length} files into {output}");
        return 0;
    }
}
