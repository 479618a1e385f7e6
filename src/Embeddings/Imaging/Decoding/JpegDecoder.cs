using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Embeddings.Imaging;

/// <summary>Decodes baseline and progressive Huffman JPEG to 8-bit RGB exactly as Pillow 9.4 (libjpeg-turbo 2.1, default settings) does.</summary>
/// <remarks>
/// Mirrors libjpeg-turbo's default decode: ISLOW integer IDCT (<see cref="JpegIdct"/>), "fancy" triangular chroma upsampling
/// (<see cref="JpegUpsampler"/>) and fixed-point YCbCr conversion (<see cref="JpegColorConverter"/>), then Pillow's own
/// conversion for CMYK/YCCK (read as Adobe-inverted). Where libjpeg only warns about corrupt or truncated data (and fills
/// with zeros), this decoder throws <see cref="InvalidDataException"/>; Pillow itself refuses a file whose EOI is missing.
/// <see cref="NotSupportedException"/>: arithmetic coding, lossless, hierarchical, 12-bit, 2-component, fractional
/// sampling ratios, dimensions above 65500 (libjpeg's limit), and progressive files that leave some of the first nine AC
/// coefficients unrefined, which libjpeg would block-smooth. More than 1000 scans is treated as corrupt.
/// </remarks>
internal static class JpegDecoder
{
    private const int MaxBlocksInMcu = 10;

    // libjpeg's JPEG_MAX_DIMENSION: larger frames fail in Pillow, so they are refused here too.
    private const int MaxDimension = 65500;

    // Each scan walks every block of its components, so a flood of tiny scans could cost minutes on a large image.
    // Real progressive files use about 10; libjpeg-turbo's own tools suggest a limit of a few hundred.
    private const int MaxScans = 1000;

    /// <summary>Gets the zigzag-to-natural index map (jpeg_natural_order).</summary>
    private static ReadOnlySpan<byte> NaturalOrder =>
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
        12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
        58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
    ];

    /// <summary>Returns whether <paramref name="data"/> starts with a JPEG SOI marker followed by another marker.</summary>
    public static bool IsJpeg(ReadOnlySpan<byte> data) => data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF;

    /// <summary>Decodes a whole JPEG file.</summary>
    /// <exception cref="InvalidDataException">The file is malformed, truncated or its entropy-coded data is corrupt.</exception>
    /// <exception cref="NotSupportedException">The file uses a JPEG process this decoder does not implement.</exception>
    /// <exception cref="ImageTooLargeException">The declared size exceeds <paramref name="maxPixels"/>.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> data, long maxPixels, string source, bool pooled, out int orientation)
    {
        var state = new FrameState(source);
        try
        {
            orientation = 1;
            bool exifSeen = false, dpiBeforeExif = false, scanSeen = false;
            int position = 2;
            while (true)
            {
                int markerOffset = FindMarker(data, ref position);
                if (markerOffset < 0)
                {
                    throw Corrupt(source, data.Length, "an EOI marker before the end of the data (file is truncated)");
                }

                byte marker = data[position++];
                if (marker == 0xD9)
                {
                    break;
                }

                if (marker is >= 0xD0 and <= 0xD7)
                {
                    continue; // A stray RSTn carries no segment; libjpeg skips it with a warning.
                }

                if (marker == 0x01)
                {
                    // libjpeg skips TEM too, but Pillow's own marker parser, which runs up to the first scan, refuses it.
                    if (!scanSeen)
                    {
                        throw Corrupt(source, markerOffset, "a JPEG marker Pillow knows before the first scan (got TEM, 0xFF01)");
                    }

                    continue;
                }

                if (marker == 0xD8)
                {
                    throw Corrupt(source, markerOffset, "a single SOI marker (libjpeg refuses a second one)");
                }

                if (marker < 0xC0 || marker is 0xC8 or 0xDE or 0xDF or (>= 0xF0 and <= 0xFD))
                {
                    throw Corrupt(source, markerOffset, $"a JPEG marker libjpeg knows (got 0xFF{marker:X2})");
                }

                if (data.Length - position < 2)
                {
                    throw Corrupt(source, markerOffset, $"a segment length after marker 0xFF{marker:X2} (file is truncated)");
                }

                int length = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(position));
                if (length < 2 || length > data.Length - position)
                {
                    throw Corrupt(source, markerOffset, $"a segment length between 2 and the remaining {data.Length - position} bytes after marker 0xFF{marker:X2} (got {length})");
                }

                ReadOnlySpan<byte> segment = data.Slice(position + 2, length - 2);
                position += length;
                switch (marker)
                {
                    case 0xC0 or 0xC1 or 0xC2:
                        state.ReadFrame(segment, marker == 0xC2, markerOffset, maxPixels);
                        break;
                    case 0xC3 or 0xC5 or 0xC6 or 0xC7:
                        throw new NotSupportedException($"{source}: lossless or hierarchical JPEG (SOF{marker - 0xC0}) is not supported.");
                    case 0xC9 or 0xCA or 0xCB or 0xCD or 0xCE or 0xCF:
                        throw new NotSupportedException($"{source}: arithmetic-coded JPEG (marker 0xFF{marker:X2}) is not supported.");
                    case 0xC4:
                        state.ReadHuffmanTables(segment, markerOffset);
                        break;
                    case 0xDB:
                        state.ReadQuantizationTables(segment, markerOffset);
                        break;
                    case 0xDD:
                        if (segment.Length < 2)
                        {
                            throw Corrupt(source, markerOffset, "a 2-byte DRI restart interval");
                        }

                        state.RestartInterval = BinaryPrimitives.ReadUInt16BigEndian(segment);
                        break;
                    case 0xDA:
                        position = state.ReadScan(data, segment, position, markerOffset);
                        scanSeen = true;
                        break;

                    // libjpeg settles the color space, and Pillow reads its metadata, from the markers before the first scan only.
                    case 0xE0 when !scanSeen:
                        state.SawJfif |= segment.Length >= 14 && segment.StartsWith("JFIF\0"u8);

                        // Pillow takes dpi from a JFIF header in inches; it then skips reading EXIF while opening the file.
                        dpiBeforeExif |= !exifSeen && segment.Length >= 12 && segment.StartsWith("JFIF"u8) && segment[7] == 1;
                        break;
                    case 0xE1 when !scanSeen:
                        if (!exifSeen && segment.StartsWith("Exif\0"u8))
                        {
                            // Pillow keeps the first APP1 "Exif" segment and reads Orientation from it.
                            exifSeen = true;
                            orientation = ReadOrientation(segment, dpiBeforeExif, source, markerOffset);
                        }

                        break;
                    case 0xEE when !scanSeen:
                        if (segment.Length >= 12 && segment.StartsWith("Adobe"u8))
                        {
                            state.AdobeTransform = segment[11];
                        }

                        break;
                    default:
                        break; // APPn, COM, DAC (arithmetic conditioning, unused by Huffman scans) and DNL (libjpeg ignores it) carry nothing needed here.
                }
            }

            return state.Finish(pooled);
        }
        finally
        {
            state.ReturnBuffers();
        }
    }

    /// <summary>Moves <paramref name="position"/> to the code byte of the next marker, skipping garbage and fill bytes as libjpeg's next_marker does.</summary>
    /// <returns>The offset of the marker's 0xFF, or -1 at the end of data.</returns>
    private static int FindMarker(ReadOnlySpan<byte> data, ref int position)
    {
        while (position < data.Length)
        {
            if (data[position] != 0xFF)
            {
                position++;
                continue;
            }

            int start = position;
            while (position < data.Length && data[position] == 0xFF)
            {
                position++;
            }

            if (position >= data.Length)
            {
                return -1;
            }

            if (data[position] != 0x00)
            {
                return start;
            }

            position++;
        }

        return -1;
    }

    /// <summary>Reads the Orientation of Pillow's EXIF segment, or throws where Pillow 9.4 fails on it.</summary>
    /// <remarks>
    /// Pillow strips "Exif\0\0" and parses the rest as TIFF. A TIFF prefix without a full 8-byte header raises struct.error,
    /// which escapes both <c>Image.open</c> and <c>exif_transpose</c>. Any other prefix raises SyntaxError, which <c>Image.open</c>
    /// catches when it reads EXIF for a missing dpi (the EXIF then stays empty), but which escapes <c>exif_transpose</c> when a
    /// JFIF header in inches came first and <c>Image.open</c> never read the EXIF.
    /// </remarks>
    private static int ReadOrientation(ReadOnlySpan<byte> segment, bool dpiBeforeExif, string source, int offset)
    {
        ReadOnlySpan<byte> tiff = segment.StartsWith("Exif\0\0"u8) ? segment.Slice(6) : segment;
        ExifHeader header = ExifOrientation.ClassifyHeader(tiff);
        if (header == ExifHeader.Truncated || (header == ExifHeader.NotTiff && dpiBeforeExif))
        {
            throw new InvalidDataException($"{source}: malformed EXIF segment at byte {offset}: its TIFF header is {(header == ExifHeader.Truncated ? "truncated" : "invalid")}, and Pillow (so transformers' load_image) cannot read this file.");
        }

        return ExifOrientation.Read(tiff);
    }

    private static InvalidDataException Corrupt(string source, int offset, string expected) =>
        new($"{source}: malformed JPEG at byte {offset}: expected {expected}.");

    private sealed class FrameState
    {
        private readonly string _source;
        private readonly ushort[]?[] _quantization = new ushort[4][];
        private readonly JpegHuffmanTable?[] _dcTables = new JpegHuffmanTable[4];
        private readonly JpegHuffmanTable?[] _acTables = new JpegHuffmanTable[4];
        private JpegComponent[] _components = [];
        private bool _progressive;
        private int _width;
        private int _height;
        private int _maxH;
        private int _maxV;
        private int _mcusPerLine;
        private int _mcusPerColumn;
        private int _scans;

        public FrameState(string source) => _source = source;

        public int RestartInterval { get; set; }

        public bool SawJfif { get; set; }

        public int AdobeTransform { get; set; } = -1;

        public void ReadFrame(ReadOnlySpan<byte> segment, bool progressive, int offset, long maxPixels)
        {
            if (_components.Length != 0)
            {
                throw Corrupt(_source, offset, "a single SOF marker");
            }

            if (segment.Length < 6)
            {
                throw Corrupt(_source, offset, "an SOF segment of at least 6 bytes");
            }

            if (segment[0] != 8)
            {
                throw new NotSupportedException($"{_source}: {segment[0]}-bit JPEG samples are not supported (only 8-bit).");
            }

            _height = BinaryPrimitives.ReadUInt16BigEndian(segment.Slice(1));
            _width = BinaryPrimitives.ReadUInt16BigEndian(segment.Slice(3));
            int count = segment[5];
            if (_width == 0 || _height == 0)
            {
                throw Corrupt(_source, offset, $"a non-zero image size in SOF (got {_width}x{_height})");
            }

            if (_width > MaxDimension || _height > MaxDimension)
            {
                throw new NotSupportedException($"{_source}: JPEG dimensions {_width}x{_height} exceed libjpeg's (and so Pillow's) maximum of {MaxDimension} pixels.");
            }

            if (count is not (1 or 3 or 4))
            {
                throw new NotSupportedException($"{_source}: JPEG with {count} components is not supported (1, 3 or 4).");
            }

            if (segment.Length < 6 + (3 * count))
            {
                throw Corrupt(_source, offset, $"{count} component entries in SOF");
            }

            ImageTooLargeException.ThrowIfTooLarge(_source, _width, _height, maxPixels);
            var components = new JpegComponent[count];
            for (int i = 0; i < count; i++)
            {
                ReadOnlySpan<byte> entry = segment.Slice(6 + (3 * i), 3);
                int h = entry[1] >> 4, v = entry[1] & 15;
                if (h is < 1 or > 4 || v is < 1 or > 4 || entry[2] > 3)
                {
                    throw Corrupt(_source, offset, $"sampling factors 1 to 4 and a quantization table 0 to 3 for component {entry[0]} (got {h}x{v}, table {entry[2]})");
                }

                for (int j = 0; j < i; j++)
                {
                    if (components[j].Id == entry[0])
                    {
                        throw Corrupt(_source, offset, $"distinct component ids (id {entry[0]} repeats)");
                    }
                }

                components[i] = new JpegComponent(entry[0], h, v, entry[2]);
                _maxH = Math.Max(_maxH, h);
                _maxV = Math.Max(_maxV, v);
            }

            _mcusPerLine = (_width + (8 * _maxH) - 1) / (8 * _maxH);
            _mcusPerColumn = (_height + (8 * _maxV) - 1) / (8 * _maxV);
            foreach (var component in components)
            {
                if (_maxH % component.HorizontalFactor != 0 || _maxV % component.VerticalFactor != 0)
                {
                    throw new NotSupportedException($"{_source}: fractional JPEG sampling ratios ({component.HorizontalFactor}x{component.VerticalFactor} against {_maxH}x{_maxV}) are not supported.");
                }

                component.Width = (int)(((long)_width * component.HorizontalFactor + _maxH - 1) / _maxH);
                component.Height = (int)(((long)_height * component.VerticalFactor + _maxV - 1) / _maxV);
                component.BlocksPerLine = _mcusPerLine * component.HorizontalFactor;
                component.BlocksPerColumn = _mcusPerColumn * component.VerticalFactor;
            }

            // Allocate only after every check, so a bogus header costs nothing. Pooled: large arrays would otherwise
            // land on the large-object heap and trigger a full collection every few images.
            foreach (var component in components)
            {
                int length = checked(component.BlocksPerLine * component.BlocksPerColumn * 64);
                component.Coefficients = ArrayPool<short>.Shared.Rent(length);
                component.Coefficients.AsSpan(0, length).Clear();
            }

            _components = components;
            _progressive = progressive;
        }

        public void ReadQuantizationTables(ReadOnlySpan<byte> segment, int offset)
        {
            while (!segment.IsEmpty)
            {
                int precision = segment[0] >> 4, id = segment[0] & 15;
                int size = precision == 0 ? 64 : 128;
                if (precision > 1 || id > 3 || segment.Length < 1 + size)
                {
                    throw Corrupt(_source, offset, $"DQT tables of 8- or 16-bit precision with ids 0 to 3 (got precision {precision}, id {id}, {segment.Length - 1} bytes left)");
                }

                var table = new ushort[64];
                for (int k = 0; k < 64; k++)
                {
                    table[NaturalOrder[k]] = precision == 0 ? segment[1 + k] : BinaryPrimitives.ReadUInt16BigEndian(segment.Slice(1 + (2 * k)));
                }

                _quantization[id] = table;
                segment = segment.Slice(1 + size);
            }
        }

        public void ReadHuffmanTables(ReadOnlySpan<byte> segment, int offset)
        {
            while (!segment.IsEmpty)
            {
                if (segment.Length < 17)
                {
                    throw Corrupt(_source, offset, "a DHT table header of 17 bytes");
                }

                int tableClass = segment[0] >> 4, id = segment[0] & 15;
                ReadOnlySpan<byte> counts = segment.Slice(1, 16);
                int total = 0;
                foreach (byte count in counts)
                {
                    total += count;
                }

                if (tableClass > 1 || id > 3 || total > 256 || segment.Length < 17 + total)
                {
                    throw Corrupt(_source, offset, $"a DHT table of class 0 or 1, id 0 to 3 and at most 256 symbols present in the segment (got class {tableClass}, id {id}, {total} symbols)");
                }

                if (tableClass == 0 && segment.Slice(17, total).ContainsAnyExceptInRange((byte)0, (byte)15))
                {
                    throw Corrupt(_source, offset, $"DC Huffman symbols of at most 15 (table {id})");
                }

                var table = JpegHuffmanTable.Create(counts, segment.Slice(17, total))
                    ?? throw Corrupt(_source, offset, $"DHT code-length counts that form a valid prefix code (class {tableClass}, id {id})");
                (tableClass == 0 ? _dcTables : _acTables)[id] = table;
                segment = segment.Slice(17 + total);
            }
        }

        /// <summary>Reads an SOS header and decodes the entropy-coded data after it.</summary>
        /// <returns>The offset just past the scan's data (its ending marker).</returns>
        public int ReadScan(ReadOnlySpan<byte> data, ReadOnlySpan<byte> header, int position, int offset)
        {
            if (++_scans > MaxScans)
            {
                throw Corrupt(_source, offset, $"at most {MaxScans} scans");
            }

            if (_components.Length == 0)
            {
                throw Corrupt(_source, offset, "an SOF marker before the first SOS");
            }

            int count = header.IsEmpty ? 0 : header[0];
            if (count is < 1 or > 4 || header.Length < 4 + (2 * count))
            {
                throw Corrupt(_source, offset, $"an SOS header with 1 to 4 components (got {count} in {header.Length} bytes)");
            }

            var scan = new JpegComponent[count];
            int blocksInMcu = 0;
            for (int i = 0; i < count; i++)
            {
                int id = header[1 + (2 * i)];
                int tables = header[2 + (2 * i)];
                JpegComponent? component = null;
                foreach (var candidate in _components)
                {
                    if (candidate.Id == id)
                    {
                        component = candidate;
                    }
                }

                if (component is null || Array.IndexOf(scan, component, 0, i) >= 0)
                {
                    throw Corrupt(_source, offset, $"SOS component ids from the frame, each once (got id {id})");
                }

                if ((tables >> 4) > 3 || (tables & 15) > 3)
                {
                    throw Corrupt(_source, offset, $"Huffman table ids 0 to 3 for component {id}");
                }

                component.DcTable = _dcTables[tables >> 4];
                component.AcTable = _acTables[tables & 15];
                if (component.Quantization is null)
                {
                    component.Quantization = (ushort[]?)_quantization[component.QuantizationTableId]?.Clone()
                        ?? throw Corrupt(_source, offset, $"quantization table {component.QuantizationTableId} (used by component {id}) to be defined before its first scan");
                }

                component.Scanned = true;
                scan[i] = component;
                blocksInMcu += component.HorizontalFactor * component.VerticalFactor;
            }

            int parameters = 1 + (2 * count);
            int spectralStart = header[parameters], spectralEnd = header[parameters + 1];
            int high = header[parameters + 2] >> 4, low = header[parameters + 2] & 15;
            if (count > 1 && blocksInMcu > MaxBlocksInMcu)
            {
                throw Corrupt(_source, offset, $"at most {MaxBlocksInMcu} blocks per MCU (got {blocksInMcu})");
            }

            if (_progressive)
            {
                bool valid = spectralStart == 0
                    ? spectralEnd == 0
                    : spectralStart <= spectralEnd && spectralEnd <= 63 && count == 1;
                if (!valid || high > 13 || low > 13 || (high != 0 && high != low + 1))
                {
                    throw Corrupt(_source, offset, $"valid progressive scan parameters (got Ss={spectralStart}, Se={spectralEnd}, Ah={high}, Al={low}, {count} components)");
                }
            }
            else
            {
                spectralStart = 0;
                spectralEnd = 63;
                high = low = 0;
            }

            foreach (var component in scan)
            {
                for (int k = spectralStart; k <= Math.Min(spectralEnd, component.CoefficientBits.Length - 1); k++)
                {
                    component.CoefficientBits[k] = low;
                }

                bool needsDc = spectralStart == 0 && high == 0;
                bool needsAc = spectralEnd > 0;
                if ((needsDc && component.DcTable is null) || (needsAc && component.AcTable is null))
                {
                    throw Corrupt(_source, offset, $"the Huffman tables used by component {component.Id} to be defined before its scan");
                }

                component.DcPredictor = 0;
            }

            var scanDecoder = new JpegScanDecoder(_source, scan, _mcusPerLine, _mcusPerColumn, RestartInterval, _progressive, spectralStart, spectralEnd, high, low);
            return scanDecoder.Decode(data, position);
        }

        public void ReturnBuffers()
        {
            foreach (var component in _components)
            {
                if (component.Coefficients.Length != 0)
                {
                    ArrayPool<short>.Shared.Return(component.Coefficients);
                    component.Coefficients = [];
                }

                if (component.Plane.Length != 0)
                {
                    ArrayPool<byte>.Shared.Return(component.Plane);
                    component.Plane = [];
                }
            }
        }

        public RgbImage Finish(bool pooled)
        {
            if (_components.Length == 0)
            {
                throw new InvalidDataException($"{_source}: malformed JPEG: no SOF frame header before EOI.");
            }

            foreach (var component in _components)
            {
                if (!component.Scanned)
                {
                    throw new InvalidDataException($"{_source}: malformed JPEG: component {component.Id} has no scan data before EOI.");
                }
            }

            if (_progressive && NeedsBlockSmoothing())
            {
                throw new NotSupportedException($"{_source}: progressive JPEG whose first AC coefficients are never fully sent; libjpeg would apply block smoothing (jdcoefct.c), which this decoder does not implement.");
            }

            foreach (var component in _components)
            {
                InverseTransform(component);
            }

            // The upsampler writes every row, so the buffer needs no clearing.
            RgbImage image = pooled ? RgbImage.Rent(_width, _height) : new RgbImage(_width, _height, GC.AllocateUninitializedArray<byte>(checked(_width * _height * 3)));
            JpegUpsampler.Render(_components, _width, _height, _maxH, _maxV, ColorSpace(), image.Pixels);
            return image;
        }

        /// <summary>Mirrors libjpeg-turbo 2.1's smoothing_ok: DC known and the first ten quantizers nonzero everywhere, some of the first nine AC coefficients incomplete.</summary>
        private bool NeedsBlockSmoothing()
        {
            bool useful = false;
            foreach (var component in _components)
            {
                ushort[] quantization = component.Quantization!;
                for (int k = 0; k < component.CoefficientBits.Length; k++)
                {
                    if (quantization[NaturalOrder[k]] == 0)
                    {
                        return false;
                    }
                }

                if (component.CoefficientBits[0] < 0)
                {
                    return false;
                }

                for (int k = 1; k < component.CoefficientBits.Length; k++)
                {
                    useful |= component.CoefficientBits[k] != 0;
                }
            }

            return useful;
        }

        private JpegColorSpace ColorSpace()
        {
            if (_components.Length == 1)
            {
                return JpegColorSpace.Gray;
            }

            if (_components.Length == 4)
            {
                return AdobeTransform >= 1 ? JpegColorSpace.Ycck : JpegColorSpace.Cmyk;
            }

            // libjpeg-turbo's default_decompress_parms: JFIF wins, then Adobe's transform flag, then component ids.
            if (SawJfif)
            {
                return JpegColorSpace.YCbCr;
            }

            if (AdobeTransform >= 0)
            {
                return AdobeTransform == 0 ? JpegColorSpace.Rgb : JpegColorSpace.YCbCr;
            }

            return _components[0].Id == 'R' && _components[1].Id == 'G' && _components[2].Id == 'B'
                ? JpegColorSpace.Rgb
                : JpegColorSpace.YCbCr;
        }

        private static void InverseTransform(JpegComponent component)
        {
            int blocksWide = (component.Width + 7) / 8;
            int blocksHigh = (component.Height + 7) / 8;
            int stride = blocksWide * 8;
            byte[] plane = ArrayPool<byte>.Shared.Rent(stride * blocksHigh * 8); // Every byte is written below.
            component.Plane = plane;
            ushort[] quantization = component.Quantization!;
            ReadOnlySpan<short> coefficients = component.Coefficients;
            for (int by = 0; by < blocksHigh; by++)
            {
                for (int bx = 0; bx < blocksWide; bx++)
                {
                    ReadOnlySpan<short> block = coefficients.Slice(((by * component.BlocksPerLine) + bx) * 64, 64);
                    Span<byte> target = plane.AsSpan((by * 8 * stride) + (bx * 8));
                    ReadOnlySpan<ulong> words = MemoryMarshal.Cast<short, ulong>(block);
                    bool dcOnly = (words[0] & ~0xFFFFUL) == 0;
                    for (int i = 1; dcOnly && i < 16; i++)
                    {
                        dcOnly = words[i] == 0;
                    }

                    if (dcOnly && BitConverter.IsLittleEndian)
                    {
                        JpegIdct.TransformDcOnly(block[0], quantization[0], target, stride);
                    }
                    else
                    {
                        JpegIdct.Transform(block, quantization, target, stride);
                    }
                }
            }

            component.PlaneStride = stride;
        }
    }
}

/// <summary>The color space of a JPEG's components, as libjpeg-turbo infers it.</summary>
internal enum JpegColorSpace
{
    Gray,
    YCbCr,
    Rgb,
    Cmyk,
    Ycck,
}
