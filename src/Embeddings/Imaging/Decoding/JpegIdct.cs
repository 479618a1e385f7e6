using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Embeddings.Imaging;

/// <summary>libjpeg-turbo's "ISLOW" accurate integer inverse DCT (jidctint.c, the LL&amp;M algorithm), bit for bit.</summary>
/// <remarks>
/// Same scaled-integer constants (CONST_BITS 13, PASS1_BITS 2) and descaling as jidctint.c, with the 16-bit lane arithmetic
/// of libjpeg-turbo's AVX2 ISLOW (jidctint-avx2.asm), which Pillow runs on x86-64: dequantized coefficients wrap to 16 bits
/// (vpmullw), the sums in0±in4, in7+in3 and in5+in1 wrap to 16 bits (vpaddw), each pass's outputs saturate to 16 bits
/// (vpackssdw), a block whose rows 1 to 7 are all zero takes pass 1's shortcut (row 0 shifted left by 2 in 16 bits), and
/// results clamp to 0..255. These differ from the C code only for extreme values, which non-baseline quantization tables
/// (above 255, as cjpeg writes at very low quality) or corrupt data produce.
/// </remarks>
internal static class JpegIdct
{
    private const int ConstBits = 13;
    private const int Pass1Bits = 2;
    private const int Fix0298631336 = 2446;
    private const int Fix0390180644 = 3196;
    private const int Fix0541196100 = 4433;
    private const int Fix0765366865 = 6270;
    private const int Fix0899976223 = 7373;
    private const int Fix1175875602 = 9633;
    private const int Fix1501321110 = 12299;
    private const int Fix1847759065 = 15137;
    private const int Fix1961570560 = 16069;
    private const int Fix2053119869 = 16819;
    private const int Fix2562915447 = 20995;
    private const int Fix3072711026 = 25172;

    [ThreadStatic]
    private static bool t_forceScalar;

    /// <summary>Gets or sets a value indicating whether this thread must use the scalar path (tests use it to check both paths).</summary>
    internal static bool ForceScalar
    {
        get => t_forceScalar;
        set => t_forceScalar = value;
    }

    /// <summary>Dequantizes and inverse-transforms one 8x8 block of natural-order coefficients into 8 rows of <paramref name="output"/>.</summary>
    public static void Transform(ReadOnlySpan<short> coefficients, ReadOnlySpan<ushort> quantization, Span<byte> output, int stride)
    {
        if (Avx2.IsSupported && !t_forceScalar)
        {
            TransformAvx2(coefficients, quantization, output, stride);
            return;
        }

        TransformScalar(coefficients, quantization, output, stride);
    }

    /// <summary>The same integer arithmetic eight lanes at a time: pass 1 with lanes as columns, pass 2 on the transposed workspace.</summary>
    /// <remarks>Only for blocks where no 16-bit lane of libjpeg-turbo's code could wrap or saturate; the scalar path handles the others.</remarks>
    private static void TransformAvx2(ReadOnlySpan<short> coefficients, ReadOnlySpan<ushort> quantization, Span<byte> output, int stride)
    {
        if (coefficients.Length < 64 || quantization.Length < 64 || output.Length < (7 * stride) + 8)
        {
            throw new ArgumentException("Block buffers are too small.");
        }

        ref short c = ref MemoryMarshal.GetReference(coefficients);
        ref ushort q = ref MemoryMarshal.GetReference(quantization);
        Vector256<int> r0 = Dequantize(ref c, ref q, 0), r1 = Dequantize(ref c, ref q, 1), r2 = Dequantize(ref c, ref q, 2), r3 = Dequantize(ref c, ref q, 3);
        Vector256<int> r4 = Dequantize(ref c, ref q, 4), r5 = Dequantize(ref c, ref q, 5), r6 = Dequantize(ref c, ref q, 6), r7 = Dequantize(ref c, ref q, 7);

        // With at most 2900 in absolute sum per column (capped so the sum cannot overflow), pass 1's outputs stay within
        // ±16383 (the largest basis weight is 4 x 1.387), so no 16-bit lane of libjpeg-turbo's code wraps or saturates and
        // plain 32-bit arithmetic gives its result. Real images stay far below; the rest take the exact 16-bit path.
        Vector256<int> cap = Vector256.Create(4096);
        Vector256<int> sum = Vector256.Min(Vector256.Abs(r0), cap) + Vector256.Min(Vector256.Abs(r1), cap) + Vector256.Min(Vector256.Abs(r2), cap)
            + Vector256.Min(Vector256.Abs(r3), cap) + Vector256.Min(Vector256.Abs(r4), cap) + Vector256.Min(Vector256.Abs(r5), cap)
            + Vector256.Min(Vector256.Abs(r6), cap) + Vector256.Min(Vector256.Abs(r7), cap);
        if (Vector256.GreaterThanAny(sum, Vector256.Create(2900)))
        {
            TransformScalar(coefficients, quantization, output, stride);
            return;
        }

        Butterfly(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7, ConstBits - Pass1Bits);
        Transpose(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
        Butterfly(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7, ConstBits + Pass1Bits + 3);
        Transpose(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);

        ref byte o = ref MemoryMarshal.GetReference(output);
        StoreRow(r0, r1, ref o, 0, stride);
        StoreRow(r2, r3, ref o, 2, stride);
        StoreRow(r4, r5, ref o, 4, stride);
        StoreRow(r6, r7, ref o, 6, stride);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Dequantize(ref short c, ref ushort q, int row)
    {
        Vector256<int> coefficient = Avx2.ConvertToVector256Int32(Vector128.LoadUnsafe(ref c, (nuint)(row * 8)));
        Vector256<int> quant = Avx2.ConvertToVector256Int32(Vector128.LoadUnsafe(ref q, (nuint)(row * 8)));
        return coefficient * quant;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Butterfly(ref Vector256<int> x0, ref Vector256<int> x1, ref Vector256<int> x2, ref Vector256<int> x3,
        ref Vector256<int> x4, ref Vector256<int> x5, ref Vector256<int> x6, ref Vector256<int> x7, int shift)
    {
        Vector256<int> z1 = (x2 + x6) * Vector256.Create(Fix0541196100);
        Vector256<int> tmp2 = z1 + (x6 * Vector256.Create(-Fix1847759065));
        Vector256<int> tmp3 = z1 + (x2 * Vector256.Create(Fix0765366865));
        Vector256<int> tmp0 = Vector256.ShiftLeft(x0 + x4, ConstBits);
        Vector256<int> tmp1 = Vector256.ShiftLeft(x0 - x4, ConstBits);
        Vector256<int> tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;

        Vector256<int> o0 = x7, o1 = x5, o2 = x3, o3 = x1;
        Vector256<int> a1 = o0 + o3, a2 = o1 + o2, a3 = o0 + o2, a4 = o1 + o3;
        Vector256<int> z5 = (a3 + a4) * Vector256.Create(Fix1175875602);
        o0 *= Vector256.Create(Fix0298631336);
        o1 *= Vector256.Create(Fix2053119869);
        o2 *= Vector256.Create(Fix3072711026);
        o3 *= Vector256.Create(Fix1501321110);
        a1 *= Vector256.Create(-Fix0899976223);
        a2 *= Vector256.Create(-Fix2562915447);
        a3 = (a3 * Vector256.Create(-Fix1961570560)) + z5;
        a4 = (a4 * Vector256.Create(-Fix0390180644)) + z5;
        o0 += a1 + a3;
        o1 += a2 + a4;
        o2 += a2 + a3;
        o3 += a1 + a4;

        Vector256<int> round = Vector256.Create(1 << (shift - 1));
        x0 = Vector256.ShiftRightArithmetic(tmp10 + o3 + round, shift);
        x7 = Vector256.ShiftRightArithmetic(tmp10 - o3 + round, shift);
        x1 = Vector256.ShiftRightArithmetic(tmp11 + o2 + round, shift);
        x6 = Vector256.ShiftRightArithmetic(tmp11 - o2 + round, shift);
        x2 = Vector256.ShiftRightArithmetic(tmp12 + o1 + round, shift);
        x5 = Vector256.ShiftRightArithmetic(tmp12 - o1 + round, shift);
        x3 = Vector256.ShiftRightArithmetic(tmp13 + o0 + round, shift);
        x4 = Vector256.ShiftRightArithmetic(tmp13 - o0 + round, shift);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(ref Vector256<int> r0, ref Vector256<int> r1, ref Vector256<int> r2, ref Vector256<int> r3,
        ref Vector256<int> r4, ref Vector256<int> r5, ref Vector256<int> r6, ref Vector256<int> r7)
    {
        Vector256<float> t0 = Avx2.UnpackLow(r0, r1).AsSingle(), t1 = Avx2.UnpackHigh(r0, r1).AsSingle();
        Vector256<float> t2 = Avx2.UnpackLow(r2, r3).AsSingle(), t3 = Avx2.UnpackHigh(r2, r3).AsSingle();
        Vector256<float> t4 = Avx2.UnpackLow(r4, r5).AsSingle(), t5 = Avx2.UnpackHigh(r4, r5).AsSingle();
        Vector256<float> t6 = Avx2.UnpackLow(r6, r7).AsSingle(), t7 = Avx2.UnpackHigh(r6, r7).AsSingle();
        Vector256<int> u0 = Avx.Shuffle(t0, t2, 0x44).AsInt32(), u1 = Avx.Shuffle(t0, t2, 0xEE).AsInt32();
        Vector256<int> u2 = Avx.Shuffle(t1, t3, 0x44).AsInt32(), u3 = Avx.Shuffle(t1, t3, 0xEE).AsInt32();
        Vector256<int> u4 = Avx.Shuffle(t4, t6, 0x44).AsInt32(), u5 = Avx.Shuffle(t4, t6, 0xEE).AsInt32();
        Vector256<int> u6 = Avx.Shuffle(t5, t7, 0x44).AsInt32(), u7 = Avx.Shuffle(t5, t7, 0xEE).AsInt32();
        r0 = Avx2.Permute2x128(u0, u4, 0x20);
        r1 = Avx2.Permute2x128(u1, u5, 0x20);
        r2 = Avx2.Permute2x128(u2, u6, 0x20);
        r3 = Avx2.Permute2x128(u3, u7, 0x20);
        r4 = Avx2.Permute2x128(u0, u4, 0x31);
        r5 = Avx2.Permute2x128(u1, u5, 0x31);
        r6 = Avx2.Permute2x128(u2, u6, 0x31);
        r7 = Avx2.Permute2x128(u3, u7, 0x31);
    }

    /// <summary>Level-shifts two rows by 128, clamps them to 0..255 and stores 8 bytes each.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(Vector256<int> first, Vector256<int> second, ref byte output, int row, int stride)
    {
        Vector256<int> center = Vector256.Create(128);
        // Signed saturation to 16 bits, then unsigned saturation to 8 bits, equals clamping to 0..255. Packing works per
        // 128-bit lane, so the 64-bit groups are reordered in between: first row's words, then second row's.
        Vector256<short> words = Avx2.PackSignedSaturate(first + center, second + center);
        Vector256<short> ordered = Avx2.Permute4x64(words.AsUInt64(), 0b11_01_10_00).AsInt16();
        Vector256<ulong> bytes = Avx2.PackUnsignedSaturate(ordered, ordered).AsUInt64();
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref output, row * stride), bytes.GetElement(0));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref output, (row + 1) * stride), bytes.GetElement(2));
    }

    /// <summary>The exact 16-bit lane semantics of jidctint-avx2.asm, one column or row at a time.</summary>
    private static void TransformScalar(ReadOnlySpan<short> coefficients, ReadOnlySpan<ushort> quantization, Span<byte> output, int stride)
    {
        Span<int> workspace = stackalloc int[64];
        ReadOnlySpan<short> c = coefficients.Slice(0, 64);
        ReadOnlySpan<ushort> q = quantization.Slice(0, 64);

        // Pass 1: columns from the input into the workspace, scaled up by 2^PASS1_BITS.
        if (!c.Slice(8).ContainsAnyExcept((short)0))
        {
            // libjpeg-turbo's block shortcut: rows 1 to 7 all zero, so each column is its dequantized row-0 value shifted in 16 bits.
            for (int col = 0; col < 8; col++)
            {
                int dc = Wrap16(Wrap16(c[col] * q[col]) << Pass1Bits);
                for (int row = 0; row < 64; row += 8)
                {
                    workspace[row + col] = dc;
                }
            }
        }
        else
        {
            Span<int> x = stackalloc int[8];
            for (int col = 0; col < 8; col++)
            {
                for (int row = 0; row < 8; row++)
                {
                    x[row] = Wrap16(c[(row * 8) + col] * q[(row * 8) + col]);
                }

                Butterfly(x, ConstBits - Pass1Bits);
                for (int row = 0; row < 8; row++)
                {
                    workspace[(row * 8) + col] = x[row];
                }
            }
        }

        // Pass 2: rows from the workspace to the output, descaled by 2^(PASS1_BITS + 3) and level-shifted by 128.
        for (int row = 0; row < 8; row++)
        {
            Span<int> x = workspace.Slice(row * 8, 8);
            Butterfly(x, ConstBits + Pass1Bits + 3);
            Span<byte> o = output.Slice(row * stride, 8);
            for (int col = 0; col < 8; col++)
            {
                o[col] = Limit(x[col]);
            }
        }
    }

    /// <summary>One 8-point LL&amp;M inverse DCT in place, with the 16-bit wraps and output saturation of jidctint-avx2.asm's dodct.</summary>
    private static void Butterfly(Span<int> x, int shift)
    {
        int z1 = (x[2] + x[6]) * Fix0541196100;
        int tmp2 = z1 + (x[6] * -Fix1847759065);
        int tmp3 = z1 + (x[2] * Fix0765366865);
        int tmp0 = Wrap16(x[0] + x[4]) << ConstBits;
        int tmp1 = Wrap16(x[0] - x[4]) << ConstBits;
        int tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;

        tmp0 = x[7];
        tmp1 = x[5];
        tmp2 = x[3];
        tmp3 = x[1];
        Odd(ref tmp0, ref tmp1, ref tmp2, ref tmp3);

        int round = 1 << (shift - 1);
        x[0] = Saturate16((tmp10 + tmp3 + round) >> shift);
        x[7] = Saturate16((tmp10 - tmp3 + round) >> shift);
        x[1] = Saturate16((tmp11 + tmp2 + round) >> shift);
        x[6] = Saturate16((tmp11 - tmp2 + round) >> shift);
        x[2] = Saturate16((tmp12 + tmp1 + round) >> shift);
        x[5] = Saturate16((tmp12 - tmp1 + round) >> shift);
        x[3] = Saturate16((tmp13 + tmp0 + round) >> shift);
        x[4] = Saturate16((tmp13 - tmp0 + round) >> shift);
    }

    /// <summary>Fills one 8x8 block whose AC coefficients are all zero: every sample equals the descaled DC.</summary>
    public static void TransformDcOnly(int coefficient, int quantization, Span<byte> output, int stride)
    {
        // libjpeg-turbo's pass-1 shortcut gives (dc << 2) in 16 bits; pass 2 then descales by 5.
        int dc = Wrap16(Wrap16(coefficient * quantization) << Pass1Bits);
        byte value = Limit((dc + (1 << (Pass1Bits + 2))) >> (Pass1Bits + 3));
        for (int row = 0; row < 8; row++)
        {
            output.Slice(row * stride, 8).Fill(value);
        }
    }

    private static int Wrap16(int value) => (short)value;

    private static int Saturate16(int value) => Math.Clamp(value, short.MinValue, short.MaxValue);

    private static void Odd(ref int tmp0, ref int tmp1, ref int tmp2, ref int tmp3)
    {
        int z1 = tmp0 + tmp3;
        int z2 = tmp1 + tmp2;
        int z3 = Wrap16(tmp0 + tmp2);
        int z4 = Wrap16(tmp1 + tmp3);
        int z5 = (z3 + z4) * Fix1175875602;
        tmp0 *= Fix0298631336;
        tmp1 *= Fix2053119869;
        tmp2 *= Fix3072711026;
        tmp3 *= Fix1501321110;
        z1 *= -Fix0899976223;
        z2 *= -Fix2562915447;
        z3 *= -Fix1961570560;
        z4 *= -Fix0390180644;
        z3 += z5;
        z4 += z5;
        tmp0 += z1 + z3;
        tmp1 += z2 + z4;
        tmp2 += z2 + z3;
        tmp3 += z1 + z4;
    }

    private static byte Limit(int value)
    {
        value += 128;
        return value < 0 ? (byte)0 : value > 255 ? (byte)255 : (byte)value;
    }
}
