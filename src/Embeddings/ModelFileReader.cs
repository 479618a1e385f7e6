using System.Globalization;
using System.Text;

namespace Embeddings;

/// <summary>Reads a file that must be held in memory whole (JSON configs, tokenizer files, Dense weights, encoded images) within a size limit.</summary>
/// <remarks>
/// The limit is checked against the file's length before reading and again while reading, so a device or pipe that
/// never ends (<c>/dev/zero</c>) fails after <c>limit</c> bytes instead of exhausting memory. ONNX files are not read
/// here: ONNX Runtime loads them by path.
/// </remarks>
internal static class ModelFileReader
{
    /// <summary>The limit for configuration and tokenizer files (<c>*.json</c>, <c>vocab.txt</c>): 64 MiB.</summary>
    public const long MaxConfigBytes = 64L * 1024 * 1024;

    /// <summary>The limit for Dense-layer <c>model.safetensors</c> files and encoded image files: 1 GiB.</summary>
    public const long MaxDataBytes = 1024L * 1024 * 1024;

    /// <summary>Reads a whole file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist, or the path names a folder.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    /// <exception cref="InvalidDataException">The file is longer than <paramref name="limit"/> bytes; the message names the file and the limit.</exception>
    public static byte[] ReadAllBytes(string path, long limit = MaxConfigBytes) => ReadAllBytes(path, limit, null);

    /// <summary>Reads a whole file, first handing its first <see cref="HeaderBytes"/> bytes to <paramref name="checkHeader"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="limit">The largest accepted length in bytes.</param>
    /// <param name="checkHeader">Called once with the first <see cref="HeaderBytes"/> bytes before the rest is read, so a file that is
    /// plainly of the wrong kind (a huge file of zeros, <c>/dev/zero</c>) fails at once; it throws to stop. Not called for shorter files.</param>
    /// <exception cref="FileNotFoundException">The file does not exist, or the path names a folder.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    /// <exception cref="InvalidDataException">The file is longer than <paramref name="limit"/> bytes; the message names the file and the limit.</exception>
    public static byte[] ReadAllBytes(string path, long limit, HeaderCheck? checkHeader)
    {
        if (Directory.Exists(path))
        {
            // Opening a folder fails with "access denied", which misleads: say what the path is.
            throw new FileNotFoundException($"{path} is a folder, not a file.", path);
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        long length = stream.CanSeek ? stream.Length : 0;
        if (length > limit)
        {
            throw TooLarge(path, length, limit);
        }

        int filled = 0;
        byte[] exact;
        if (checkHeader is null)
        {
            exact = new byte[length];
        }
        else
        {
            Span<byte> header = stackalloc byte[HeaderBytes];
            filled = stream.ReadAtLeast(header, HeaderBytes, throwOnEndOfStream: false);
            if (filled == HeaderBytes)
            {
                checkHeader(header);
            }

            exact = new byte[Math.Max(length, filled)];
            header[..filled].CopyTo(exact);
        }

        // A regular file is read into an exact buffer; anything else (or a file that grows) is read in chunks up to the limit.
        while (filled < exact.Length)
        {
            int read = stream.Read(exact, filled, exact.Length - filled);
            if (read == 0)
            {
                return exact[..filled];
            }

            filled += read;
        }

        return ReadToEnd(stream, exact, limit, () => TooLarge(path, null, limit));
    }

    /// <summary>Returns <paramref name="start"/> followed by the rest of <paramref name="stream"/>, read in chunks.</summary>
    /// <param name="stream">The stream, positioned after the bytes of <paramref name="start"/>.</param>
    /// <param name="start">What was read already; returned as it is when the stream has nothing more.</param>
    /// <param name="limit">The largest accepted total length in bytes.</param>
    /// <param name="tooLarge">Makes the exception thrown once the total passes <paramref name="limit"/>.</param>
    /// <exception cref="IOException">Reading the stream fails.</exception>
    /// <exception cref="InvalidDataException">The total passes <paramref name="limit"/> (from <paramref name="tooLarge"/>).</exception>
    internal static byte[] ReadToEnd(Stream stream, byte[] start, long limit, Func<InvalidDataException> tooLarge)
    {
        byte[] chunk = new byte[81920];
        int read = stream.Read(chunk);
        if (read == 0)
        {
            return start;
        }

        using var buffer = new MemoryStream();
        buffer.Write(start);
        long total = start.Length;
        while (read > 0)
        {
            total += read;
            if (total > limit)
            {
                throw tooLarge();
            }

            buffer.Write(chunk, 0, read);
            read = stream.Read(chunk);
        }

        return buffer.ToArray();
    }

    /// <summary>Inspects the first bytes of a file before the rest is read, and throws to refuse it.</summary>
    /// <param name="header">The first <see cref="HeaderBytes"/> bytes.</param>
    public delegate void HeaderCheck(ReadOnlySpan<byte> header);

    /// <summary>How many leading bytes a <see cref="HeaderCheck"/> sees.</summary>
    public const int HeaderBytes = 16;

    /// <summary>Reads a whole text file, detecting a byte-order mark as <see cref="File.ReadAllText(string)"/> does (UTF-8 otherwise).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    /// <exception cref="InvalidDataException">The file is longer than <paramref name="limit"/> bytes.</exception>
    public static StreamReader OpenText(string path, long limit = MaxConfigBytes) =>
        new(new MemoryStream(ReadAllBytes(path, limit), writable: false), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);

    private static InvalidDataException TooLarge(string path, long? length, long limit) =>
        new(string.Create(
            CultureInfo.InvariantCulture,
            $"{path}: {(length is long known ? $"the file has {known} bytes" : "the file is longer than the limit")}; files read into memory are limited to {limit} bytes ({limit / (1024 * 1024)} MiB)."));
}
