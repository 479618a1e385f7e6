using System.Text;
using Embeddings.Cli;

namespace Embeddings.Tests.Cli;

public class Utf8LineReaderTests
{
    private const int BufferSize = 64 * 1024;

    public static TheoryData<string> ValidTexts =>
    [
        string.Empty,
        "one",
        "one\n",
        "one\ntwo",
        "one\r\ntwo\r\n",
        "one\rtwo\r",
        "\n\n\r\n\r",
        "a\r\r\nb",
        "Ünïcödé, 東京, emoji 😀, e\u0301\n\u2028 stays in the line\n",
        new string('x', BufferSize - 1) + "\r\n" + "after the boundary",
        new string('x', BufferSize - 1) + "é" + "\nsplit multi-byte character",
        new string('x', (3 * BufferSize) + 17) + "\nlong line across blocks",
    ];

    [Theory]
    [MemberData(nameof(ValidTexts))]
    public void ReadLine_ValidUtf8_SplitsAsTextReaderDoes(string text)
    {
        // TextReader.ReadLine is the reference: \n, \r\n and \r end a line, and a final line needs no terminator.
        var expected = new List<string>();
        using (var reference = new StringReader(text))
        {
            while (reference.ReadLine() is { } line)
            {
                expected.Add(line);
            }
        }

        Assert.Equal(expected, ReadAll(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void ReadLine_ByteOrderMark_IsSkippedOnlyAtTheStart()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. "a\n"u8, 0xEF, 0xBB, 0xBF, .. "b"u8];

        Assert.Equal(["a", "\uFEFFb"], ReadAll(bytes));
    }

    [Theory]
    [InlineData(new byte[] { 0x61, 0xFF }, "byte 0xFF at offset 4 (column 2")]
    [InlineData(new byte[] { 0xC3 }, "byte 0xC3 at offset 3 (column 1")]
    [InlineData(new byte[] { 0x61, 0xED, 0xA0, 0x80 }, "byte 0xED at offset 4")]
    [InlineData(new byte[] { 0xC0, 0xAF }, "byte 0xC0 at offset 3")]
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 }, "byte 0xF4 at offset 3")]
    public void ReadLine_InvalidUtf8_ThrowsNamingLineAndOffset(byte[] secondLine, string where)
    {
        // Unpaired surrogate (ED A0 80), overlong form (C0 AF), above U+10FFFF (F4 90 80 80), truncated sequence (C3).
        byte[] bytes = [.. "ok\n"u8, .. secondLine, .. "\nthird\n"u8];
        using var reader = new Utf8LineReader(new MemoryStream(bytes), "in.txt", 1000, leaveOpen: false);
        Assert.Equal("ok", reader.ReadLine());

        var exception = Assert.Throws<InputException>(() => reader.ReadLine());

        Assert.StartsWith("in.txt:2: not valid UTF-8", exception.Message, StringComparison.Ordinal);
        Assert.Contains(where, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadLine_LineAtTheLimit_IsRead_OneByteMore_Throws()
    {
        const int limit = BufferSize + 10;
        byte[] bytes = [.. Encoding.ASCII.GetBytes(new string('a', limit)), .. "\n"u8, .. Encoding.ASCII.GetBytes(new string('b', limit + 1))];
        using var reader = new Utf8LineReader(new MemoryStream(bytes), "big.txt", limit, leaveOpen: false);

        Assert.Equal(limit, reader.ReadLine()!.Length);
        var exception = Assert.Throws<InputException>(() => reader.ReadLine());

        Assert.Equal($"big.txt:2: the line starting at byte {limit + 1} is longer than {limit} bytes, the limit of one input line", exception.Message);
    }

    [Fact]
    public void ReadLine_EndlessLine_StopsAtTheLimitWithoutReadingFurther()
    {
        using var endless = new EndlessStream();
        using var reader = new Utf8LineReader(endless, "stdin", 1 << 20, leaveOpen: true);

        Assert.Throws<InputException>(() => reader.ReadLine());
        Assert.True(endless.BytesRead < (1 << 20) + (2 * BufferSize), $"read {endless.BytesRead} bytes");
    }

    private static List<string> ReadAll(byte[] bytes)
    {
        using var reader = new Utf8LineReader(new MemoryStream(bytes), "test", int.MaxValue, leaveOpen: false);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
            Assert.Equal(lines.Count, reader.LineNumber);
        }

        return lines;
    }

    /// <summary>A stream of 'a' that never ends, counting what was read.</summary>
    private sealed class EndlessStream : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill((byte)'a');
            BytesRead += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
