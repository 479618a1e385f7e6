using System.Buffers;
using System.Globalization;
using System.Text.Unicode;

namespace Embeddings.Cli;

/// <summary>Reads lines of UTF-8 from a stream, refusing invalid UTF-8 and over-long lines by line number and byte offset.</summary>
/// <remarks>
/// Lines end at <c>\n</c>, <c>\r\n</c> or <c>\r</c>, as <see cref="TextReader.ReadLine"/> has it, and a leading byte order
/// mark is skipped. Unlike a <see cref="StreamReader"/>, which replaces invalid bytes with U+FFFD and reads a line of any
/// length into memory, this reader throws <see cref="InputException"/> for both, so no input is silently altered.
/// </remarks>
internal sealed class Utf8LineReader : IDisposable
{
    private readonly Stream _stream;
    private readonly string _source;
    private readonly int _maxLineBytes;
    private readonly bool _leaveOpen;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private byte[] _line = new byte[256];
    private int _lineLength;
    private int _start;
    private int _end;
    private long _bufferOffset;
    private bool _endOfStream;

    public Utf8LineReader(Stream stream, string source, int maxLineBytes, bool leaveOpen)
    {
        _stream = stream;
        _source = source;
        _maxLineBytes = maxLineBytes;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Gets the 1-based number of the line last read.</summary>
    public int LineNumber { get; private set; }

    /// <summary>Reads the next line without its terminator, or returns null at the end of the stream.</summary>
    /// <exception cref="InputException">The line is not valid UTF-8 or is longer than the byte limit.</exception>
    public string? ReadLine()
    {
        _lineLength = 0;
        long lineStart = _bufferOffset + _start;
        bool any = false;
        while (true)
        {
            if (_start == _end && !Fill())
            {
                break;
            }

            ReadOnlySpan<byte> span = _buffer.AsSpan(_start, _end - _start);
            int end = span.IndexOfAny((byte)'\n', (byte)'\r');
            if (end < 0)
            {
                Append(span, lineStart);
                _start = _end;
                any = true;
                continue;
            }

            Append(span[..end], lineStart);
            _start += end + 1;
            any = true;
            if (span[end] == '\r' && (_start < _end || Fill()) && _buffer[_start] == '\n')
            {
                _start++;
            }

            break;
        }

        if (!any)
        {
            return null;
        }

        LineNumber++;
        ReadOnlySpan<byte> bytes = _line.AsSpan(0, _lineLength);
        if (lineStart == 0 && bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
            lineStart = 3;
        }

        return Decode(bytes, lineStart);
    }

    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private string Decode(ReadOnlySpan<byte> bytes, long lineStart)
    {
        char[] chars = ArrayPool<char>.Shared.Rent(Math.Max(bytes.Length, 1));
        try
        {
            OperationStatus status = Utf8.ToUtf16(bytes, chars, out int read, out int written, replaceInvalidSequences: false, isFinalBlock: true);
            if (status != OperationStatus.Done)
            {
                throw new InputException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{InputText.Locate(_source, LineNumber)}: not valid UTF-8: byte 0x{bytes[read]:X2} at offset {lineStart + read} (column {read + 1} of the line); the input must be UTF-8"));
            }

            return new string(chars, 0, written);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private void Append(ReadOnlySpan<byte> bytes, long lineStart)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        if ((long)_lineLength + bytes.Length > _maxLineBytes)
        {
            throw new InputException(string.Create(
                CultureInfo.InvariantCulture,
                $"{InputText.Locate(_source, LineNumber + 1)}: the line starting at byte {lineStart} is longer than {_maxLineBytes} bytes, the limit of one input line"));
        }

        if (_lineLength + bytes.Length > _line.Length)
        {
            Array.Resize(ref _line, (int)Math.Min(Math.Max((long)_line.Length * 2, _lineLength + bytes.Length), Array.MaxLength));
        }

        bytes.CopyTo(_line.AsSpan(_lineLength));
        _lineLength += bytes.Length;
    }

    private bool Fill()
    {
        if (_endOfStream)
        {
            return false;
        }

        _bufferOffset += _end;
        _start = 0;
        _end = _stream.Read(_buffer, 0, _buffer.Length);
        _endOfStream = _end == 0;
        return !_endOfStream;
    }
}
