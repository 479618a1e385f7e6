using System.Diagnostics;
using System.Globalization;
using Embeddings.Imaging;

namespace Embeddings.Tests.Imaging;

/// <summary>Mutation fuzzing of the PNG and JPEG decoders: only documented exceptions, never a crash or a hang.</summary>
public class ImageDecoderFuzzTests
{
    // The fuzz loop runs for a fixed budget; EMBEDDINGS_FUZZ_SECONDS raises it for a longer local campaign.
    private const double DefaultBudgetSeconds = 2.5;
    private const int FuzzMaxPixels = 1_000_000;
    private static int s_decoded;
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(10);

    private static readonly string[] Seeds =
    [
        "png_gray4.png", "png_palette1.png", "png_interlaced_tiny.png", "png_gray_alpha16.png", "png_interlaced_palette4.png",
        "png_rgb8_exif6.png", "jpeg_420_tiny.jpg", "jpeg_exif6.jpg", "jpeg_gray_restart.jpg", "jpeg_one_pixel.jpg",
        "jpeg_progressive_444.jpg", "jpeg_restart_blocks.jpg", "jpeg_440_odd.jpg", "jpeg_ycck.jpg", "jpeg_exif_twice.jpg",
        "png_xmp_orientation6.png", "png_raw_profile_exif8.png", "png_exif1_xmp6.png",
    ];

    [Fact]
    public async Task Decode_MutatedFiles_ThrowOnlyDocumentedExceptions()
    {
        double budget = double.TryParse(Environment.GetEnvironmentVariable("EMBEDDINGS_FUZZ_SECONDS"), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds)
            ? seconds
            : DefaultBudgetSeconds;
        var seeds = Seeds.Select(DecodedReferences.ReadImage).ToArray();
        var random = new Random(20261121);
        var clock = Stopwatch.StartNew();
        int iterations = 0;
        while (clock.Elapsed.TotalSeconds < budget || iterations < 50)
        {
            byte[] seed = seeds[random.Next(seeds.Length)];
            byte[] mutated = Mutate(seed, random);
            iterations++;
            Exception? unexpected;
            try
            {
                unexpected = await Task.Run(() => Classify(mutated)).WaitAsync(Watchdog);
            }
            catch (TimeoutException)
            {
                Assert.Fail($"Decode did not finish within {Watchdog.TotalSeconds} s on iteration {iterations}; input saved to {Save(mutated)}.");
                throw;
            }

            if (unexpected is not null)
            {
                Assert.Fail($"Undocumented {unexpected.GetType().Name} on iteration {iterations}: {unexpected.Message}; input saved to {Save(mutated)}.\n{unexpected}");
            }
        }

        Assert.True(iterations >= 50);
        Console.WriteLine($"Fuzzed {iterations} inputs in {clock.Elapsed.TotalSeconds:F1} s; {s_decoded} decoded without error.");
    }

    [Fact]
    public async Task Decode_RegressionInputs_ThrowOnlyDocumentedExceptions()
    {
        foreach (string path in Directory.EnumerateFiles(DecodedReferences.RegressionsDirectory).Order(StringComparer.Ordinal))
        {
            if (path.EndsWith(".md", StringComparison.Ordinal))
            {
                continue;
            }

            byte[] data = File.ReadAllBytes(path);
            var unexpected = await Task.Run(() => Classify(data)).WaitAsync(Watchdog);
            Assert.True(unexpected is null, $"{Path.GetFileName(path)}: {unexpected}");
        }
    }

    /// <summary>Decodes and returns the exception if it is not one the decoders document, else null.</summary>
    private static Exception? Classify(byte[] data)
    {
        try
        {
            var image = ImageDecoder.Decode(data, FuzzMaxPixels, "fuzz");
            Interlocked.Increment(ref s_decoded);
            return image.Pixels.Length == image.Width * image.Height * 3 ? null : new InvalidOperationException("Bad pixel buffer size.");
        }
        catch (Exception exception) when (exception is InvalidDataException or NotSupportedException or ImageTooLargeException)
        {
            return null;
        }
        catch (Exception exception)
        {
            return exception;
        }
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var data = new List<byte>(seed);
        int mutations = 1 + random.Next(4);
        for (int m = 0; m < mutations && data.Count > 0; m++)
        {
            int at = random.Next(data.Count);
            switch (random.Next(7))
            {
                case 0: // Bit flip.
                    data[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1: // Truncation.
                    data.RemoveRange(at, data.Count - at);
                    break;
                case 2: // Byte insertion.
                    data.Insert(at, (byte)random.Next(256));
                    break;
                case 3: // Byte deletion.
                    data.RemoveAt(at);
                    break;
                case 4: // Interesting values: markers, fill bytes, zeros.
                    data[at] = random.Next(4) switch { 0 => 0xFF, 1 => 0x00, 2 => (byte)(0xC0 + random.Next(64)), _ => 0x7F };
                    break;
                case 5: // Chunk or segment length corruption.
                    CorruptLength(data, random);
                    break;
                default: // Overwrite a short run with random bytes.
                    for (int i = at; i < Math.Min(data.Count, at + 1 + random.Next(8)); i++)
                    {
                        data[i] = (byte)random.Next(256);
                    }

                    break;
            }
        }

        byte[] result = data.ToArray();
        if (random.Next(2) == 0)
        {
            FixPngCrcs(result); // Half the PNG mutants get valid CRCs so the fuzzer reaches past the CRC check.
        }

        return result;
    }

    private static void FixPngCrcs(byte[] data)
    {
        if (data.Length < 8 || data[0] != 0x89)
        {
            return;
        }

        for (int at = 8; at + 12 <= data.Length;)
        {
            long length = ((long)data[at] << 24) | ((long)data[at + 1] << 16) | ((long)data[at + 2] << 8) | data[at + 3];
            if (length > data.Length - at - 12)
            {
                return;
            }

            uint crc = Crc32(data.AsSpan(at + 4, 4 + (int)length));
            int end = at + 8 + (int)length;
            data[end] = (byte)(crc >> 24);
            data[end + 1] = (byte)(crc >> 16);
            data[end + 2] = (byte)(crc >> 8);
            data[end + 3] = (byte)crc;
            at = end + 4;
        }
    }

    /// <summary>The CRC-32 of PNG chunks (ISO 3309, as zlib's crc32), bit by bit.</summary>
    internal static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }

    private static void CorruptLength(List<byte> data, Random random)
    {
        // PNG: chunks start at byte 8 (4-byte length); JPEG: segments start after FF xx (2-byte length).
        var offsets = new List<int>();
        if (data.Count > 8 && data[0] == 0x89)
        {
            for (int at = 8; at + 8 <= data.Count;)
            {
                offsets.Add(at);
                long length = ((long)data[at] << 24) | ((long)data[at + 1] << 16) | ((long)data[at + 2] << 8) | data[at + 3];
                if (length > data.Count)
                {
                    break;
                }

                at += 12 + (int)length;
            }

            if (offsets.Count > 0)
            {
                int at = offsets[random.Next(offsets.Count)];
                uint value = random.Next(3) switch { 0 => (uint)random.Next(), 1 => 0xFFFFFFFF, _ => (uint)random.Next(64) };
                data[at] = (byte)(value >> 24);
                data[at + 1] = (byte)(value >> 16);
                data[at + 2] = (byte)(value >> 8);
                data[at + 3] = (byte)value;
            }

            return;
        }

        for (int at = 2; at + 4 <= data.Count; at++)
        {
            if (data[at] == 0xFF && data[at + 1] is >= 0xC0 and not 0xFF and not (>= 0xD0 and <= 0xD9))
            {
                offsets.Add(at + 2);
            }
        }

        if (offsets.Count > 0)
        {
            int at = offsets[random.Next(offsets.Count)];
            int value = random.Next(3) switch { 0 => random.Next(65536), 1 => 0, _ => data[at + 1] + random.Next(-3, 4) };
            data[at] = (byte)(value >> 8);
            data[at + 1] = (byte)value;
        }
    }

    private static string Save(byte[] data)
    {
        string path = Path.Combine(Path.GetTempPath(), $"embeddings-fuzz-{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(path, data);
        return path;
    }
}
