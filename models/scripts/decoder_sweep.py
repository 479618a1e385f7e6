"""Differential conformance sweep: the library's PNG/JPEG decoder against Pillow 9.4 over many encoder settings.

Generates a few thousand images deterministically (cjpeg/jpegtran from libjpeg-turbo-progs, Pillow's encoders, and a
small PNG writer of our own for Adam7, bit depths, filters, chunk layouts), decodes each with Pillow as transformers'
load_image does (Image.open, ImageOps.exif_transpose, convert("RGB")) and with the library (the benchmark runner's
hidden `decode-dump` mode), and reports how they compare. Nothing it writes is committed.

    /usr/bin/python3 models/scripts/decoder_sweep.py [--out /tmp/decoder_sweep] [--scale 1.0] [--only jpeg|png|extra|bad]
        [--reuse] [--show 40]
    /usr/bin/python3 models/scripts/decoder_sweep.py --write-regressions   # models/images/sweep + expected/decoded/sweep

The library must equal Pillow pixel for pixel, or throw where Pillow fails; a NotSupportedException where Pillow
decodes is listed separately (arithmetic coding is the documented case).
"""

import argparse
import gzip
import io
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from collections import Counter, defaultdict

import numpy as np
from PIL import Image, ImageFile, ImageOps

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SKLEARN_IMAGES = "/usr/lib/python3/dist-packages/sklearn/datasets/images"

ImageFile.LOAD_TRUNCATED_IMAGES = False


# ---------------------------------------------------------------- source pictures

def source_pictures():
    """Real photos plus synthetic pictures that stress edges, flat areas and extremes."""
    pictures = {}
    for name in ("china.jpg", "flower.jpg"):
        path = os.path.join(SKLEARN_IMAGES, name)
        if os.path.exists(path):
            pictures[name.split(".")[0]] = np.asarray(Image.open(path).convert("RGB"))
    rng = np.random.RandomState(1234)
    h, w = 160, 224
    y, x = np.mgrid[0:h, 0:w]
    gradient = np.stack([x * 255 // (w - 1), y * 255 // (h - 1), (x + y) * 255 // (w + h - 2)], -1).astype(np.uint8)
    pictures["gradient"] = gradient
    pictures["noise"] = rng.randint(0, 256, (h, w, 3)).astype(np.uint8)
    checker = (((x // 3) + (y // 5)) % 2 * 255).astype(np.uint8)
    pictures["checker"] = np.stack([checker, 255 - checker, checker // 2], -1)
    # Saturated primaries: chroma far from neutral drives YCbCr conversion to its clamps.
    blocks = np.zeros((h, w, 3), np.uint8)
    colors = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0), (0, 255, 255), (255, 0, 255), (0, 0, 0), (255, 255, 255)]
    for i, c in enumerate(colors):
        blocks[:, i * w // 8:(i + 1) * w // 8] = c
    blocks[h // 2:] = blocks[h // 2:, ::-1]
    pictures["primaries"] = blocks
    pictures["flat"] = np.full((h, w, 3), (12, 200, 99), np.uint8)
    return pictures


SIZES = [(1, 1), (1, 7), (7, 1), (2, 2), (7, 13), (13, 7), (17, 9), (9, 17), (15, 15), (16, 16), (17, 17),
         (31, 33), (33, 31), (63, 65), (100, 75), (129, 97), (160, 224), (4097, 3), (3, 4097), (1, 300), (300, 1)]


def crop(picture, width, height, rng):
    """A window of the picture, tiled if the picture is smaller."""
    ph, pw = picture.shape[:2]
    if width > pw or height > ph:
        picture = np.tile(picture, ((height + ph - 1) // ph + 1, (width + pw - 1) // pw + 1, 1))
        ph, pw = picture.shape[:2]
    top = rng.randint(0, ph - height + 1)
    left = rng.randint(0, pw - width + 1)
    return np.ascontiguousarray(picture[top:top + height, left:left + width])


def ppm(rgb):
    h, w = rgb.shape[:2]
    return b"P6\n%d %d\n255\n" % (w, h) + rgb.tobytes()


def pgm(gray):
    h, w = gray.shape[:2]
    return b"P5\n%d %d\n255\n" % (w, h) + gray.tobytes()


def run(tool, args, data):
    result = subprocess.run([tool] + args, input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{tool} {' '.join(args)}: {result.stderr.decode(errors='replace').strip()[:200]}")
    return result.stdout


# ---------------------------------------------------------------- JPEG

SAMPLINGS = ["1x1", "2x1", "1x2", "2x2", "4x1", "4x2", "1x4", "2x4", "4x4", "3x1", "1x3", "3x2", "2x3", "3x3",
             "2x2,1x1,1x1", "1x1,2x2,2x2", "2x1,1x2,1x1", "2x2,2x1,1x2", "2x2,1x2,2x1", "4x2,2x1,1x1", "4x1,2x1,1x1",
             "1x1,1x1,2x2", "2x2,2x2,1x1", "1x2,1x1,1x1", "4x4,2x2,1x1", "3x1,1x1,1x1", "2x1,2x1,1x1", "1x4,1x2,1x1",
             "1x1,2x1,1x2", "2x2,1x1,2x2", "4x2,1x1,2x1"]

SCAN_SCRIPTS = {
    # Spectral selection only, interleaved DC.
    "spectral": "0,1,2: 0-0, 0, 0;\n0: 1-5, 0, 0;\n2: 1-63, 0, 0;\n1: 1-63, 0, 0;\n0: 6-63, 0, 0;\n",
    # Successive approximation on DC and AC, non-interleaved DC scans.
    "approx": "0: 0-0, 0, 1;\n1: 0-0, 0, 1;\n2: 0-0, 0, 1;\n0: 1-63, 0, 2;\n1: 1-63, 0, 1;\n2: 1-63, 0, 1;\n"
              "0: 1-63, 2, 1;\n0: 0-0, 1, 0;\n1: 0-0, 1, 0;\n2: 0-0, 1, 0;\n0: 1-63, 1, 0;\n1: 1-63, 1, 0;\n2: 1-63, 1, 0;\n",
    # Deep successive approximation.
    "deep": "0,1,2: 0-0, 0, 4;\n0: 1-9, 0, 3;\n0: 10-63, 0, 3;\n1: 1-63, 0, 3;\n2: 1-63, 0, 3;\n"
            "0,1,2: 0-0, 4, 3;\n0,1,2: 0-0, 3, 2;\n0,1,2: 0-0, 2, 1;\n0,1,2: 0-0, 1, 0;\n"
            "0: 1-63, 3, 2;\n0: 1-63, 2, 1;\n0: 1-63, 1, 0;\n1: 1-63, 3, 2;\n1: 1-63, 2, 1;\n1: 1-63, 1, 0;\n"
            "2: 1-63, 3, 2;\n",
    # Every AC coefficient its own band.
    "bands": "0,1,2: 0-0, 0, 0;\n" + "".join(f"0: {k}-{k}, 0, 0;\n" for k in range(1, 64)) + "1: 1-63, 0, 0;\n2: 1-63, 0, 0;\n",
    # Baseline (sequential) multi-scan: one component per scan.
    "sequential3": "0: 0-63, 0, 0;\n1: 0-63, 0, 0;\n2: 0-63, 0, 0;\n",
    "sequential21": "0,1: 0-63, 0, 0;\n2: 0-63, 0, 0;\n",
    # Coarse first bands then refinement of DC only at the end.
    "dclast": "0,1,2: 0-0, 0, 2;\n0: 1-63, 0, 0;\n1: 1-63, 0, 0;\n2: 1-63, 0, 0;\n0,1,2: 0-0, 2, 1;\n0,1,2: 0-0, 1, 0;\n",
}
GRAY_SCAN_SCRIPTS = {
    "gspectral": "0: 0-0, 0, 0;\n0: 1-2, 0, 0;\n0: 3-63, 0, 0;\n",
    "gapprox": "0: 0-0, 0, 2;\n0: 1-63, 0, 2;\n0: 0-0, 2, 1;\n0: 1-63, 2, 1;\n0: 0-0, 1, 0;\n0: 1-63, 1, 0;\n",
}


def jpeg_cases(pictures, scale, tmp):
    rng = np.random.RandomState(42)
    names = sorted(pictures)
    scan_files = {}
    for key, text in {**SCAN_SCRIPTS, **GRAY_SCAN_SCRIPTS}.items():
        path = os.path.join(tmp, key + ".scans")
        with open(path, "w") as f:
            f.write(text)
        scan_files[key] = path
    qtable_path = os.path.join(tmp, "odd.qtables")
    with open(qtable_path, "w") as f:
        # Three tables: all ones, a ramp reaching 255, and large values (baseline-valid only if <= 255).
        f.write(" ".join(["1"] * 64) + "\n")
        f.write(" ".join(str(1 + (i * 4) % 255) for i in range(64)) + "\n")
        f.write(" ".join(str(min(255, 50 + i * 3)) for i in range(64)) + "\n")
    big_qtable_path = os.path.join(tmp, "big.qtables")
    with open(big_qtable_path, "w") as f:
        f.write(" ".join(str(200 + i * 10) for i in range(64)) + "\n")

    count = int(1400 * scale)
    for i in range(count):
        picture = pictures[names[rng.randint(len(names))]]
        width, height = SIZES[rng.randint(len(SIZES))]
        if rng.rand() < 0.25:
            width, height = rng.randint(1, 90), rng.randint(1, 90)
        rgb = crop(picture, width, height, rng)
        args = ["-quality", str([1, 2, 5, 10, 25, 50, 75, 85, 90, 95, 98, 100][rng.randint(12)])]
        tags = ["q" + args[1]]
        gray = rng.rand() < 0.15
        if gray:
            args.append("-grayscale")
            tags.append("gray")
        elif rng.rand() < 0.1:
            args.append("-rgb")
            tags.append("rgb")
        if not gray:
            sample = SAMPLINGS[rng.randint(len(SAMPLINGS))]
            args += ["-sample", sample]
            tags.append("s" + sample.replace(",", "_"))
        mode = rng.randint(6)
        if mode == 1:
            args.append("-progressive")
            tags.append("prog")
        elif mode == 2:
            key = rng.choice(sorted(GRAY_SCAN_SCRIPTS if gray else SCAN_SCRIPTS))
            args += ["-scans", scan_files[key]]
            tags.append(key)
        if rng.rand() < 0.25:
            r = [0, 1, 2, 5][rng.randint(4)]
            args += ["-restart", str(r)]
            tags.append(f"r{r}")
        elif rng.rand() < 0.2:
            r = [1, 2, 3, 7, 64][rng.randint(5)]
            args += ["-restart", f"{r}B"]
            tags.append(f"r{r}B")
        if rng.rand() < 0.3:
            args.append("-optimize")
            tags.append("opt")
        if rng.rand() < 0.1:
            args.append("-arithmetic")
            tags.append("arith")
        if rng.rand() < 0.1:
            s = [1, 10, 50, 100][rng.randint(4)]
            args += ["-smooth", str(s)]
            tags.append(f"smooth{s}")
        if rng.rand() < 0.1:
            args.append("-baseline")
            tags.append("baseline")
        if rng.rand() < 0.08:
            args += ["-dct", ["fast", "float"][rng.randint(2)]]
            tags.append(args[-1])
        if rng.rand() < 0.06:
            args += ["-qtables", qtable_path, "-qslots", "0,1,2"]
            tags.append("qodd")
        elif rng.rand() < 0.03:
            args += ["-qtables", big_qtable_path]  # 16-bit quantizers
            tags.append("q16bit")
        source = pgm(np.asarray(Image.fromarray(rgb).convert("L"))) if gray and rng.rand() < 0.5 else ppm(rgb)
        try:
            data = run("cjpeg", args, source)
        except RuntimeError as error:
            print("skip:", error, file=sys.stderr)
            continue
        yield f"cj{i:04d}_{width}x{height}_{'_'.join(tags)}.jpg", data

    # jpegtran: lossless recodings of cjpeg and Pillow output.
    for i in range(int(150 * scale)):
        picture = pictures[names[rng.randint(len(names))]]
        width, height = SIZES[rng.randint(len(SIZES))]
        rgb = crop(picture, width, height, rng)
        sample = SAMPLINGS[rng.randint(len(SAMPLINGS))]
        option = [["-progressive"], ["-arithmetic"], ["-restart", "1B"], ["-optimize"], ["-grayscale"],
                  ["-rotate", "90"], ["-flip", "vertical"], ["-transpose"], ["-progressive", "-restart", "2"],
                  ["-scans", scan_files["approx"]], ["-scans", scan_files["bands"]], ["-crop", "9x7+3+5"]][i % 12]
        try:
            data = run("jpegtran", option, run("cjpeg", ["-quality", "80", "-sample", sample], ppm(rgb)))
        except RuntimeError as error:
            print("skip:", error, file=sys.stderr)
            continue
        yield f"jt{i:04d}_{width}x{height}_{'_'.join(o.replace('/', '') for o in option if not o.startswith('/'))}.jpg", data

    yield from pillow_jpeg_cases(pictures, scale, rng)


def exif_orientation(orientation, big_endian=False):
    exif = Image.Exif()
    exif[0x0112] = orientation
    return exif.tobytes()


def pillow_jpeg_cases(pictures, scale, rng):
    names = sorted(pictures)
    icc = bytes(range(256)) * 300  # 76 KB: split over two APP2 segments
    for i in range(int(300 * scale)):
        picture = pictures[names[rng.randint(len(names))]]
        width, height = SIZES[rng.randint(len(SIZES))]
        rgb = crop(picture, width, height, rng)
        image = Image.fromarray(rgb)
        kwargs = {"quality": int([1, 5, 30, 75, 95, 100][rng.randint(6)])}
        tags = [f"q{kwargs['quality']}"]
        sub = rng.randint(4)
        if sub < 3:
            kwargs["subsampling"] = sub
            tags.append(f"sub{sub}")
        if rng.rand() < 0.3:
            kwargs["progressive"] = True
            tags.append("prog")
        if rng.rand() < 0.3:
            kwargs["optimize"] = True
            tags.append("opt")
        if rng.rand() < 0.5:
            o = int(rng.randint(0, 10))
            kwargs["exif"] = exif_orientation(o)
            tags.append(f"exif{o}")
        if rng.rand() < 0.15:
            kwargs["icc_profile"] = icc
            tags.append("icc")
        if rng.rand() < 0.15:
            kwargs["comment"] = b"x" * int(rng.randint(0, 65000))
            tags.append("comment")
        if rng.rand() < 0.15:
            kwargs["dpi"] = (int(rng.randint(1, 600)), int(rng.randint(1, 600)))
            tags.append("dpi")
        if rng.rand() < 0.1:
            kwargs["qtables"] = [[int(v) for v in rng.randint(1, 256, 64)], [int(v) for v in rng.randint(1, 256, 64)]]
            tags.append("qrand")
        kind = rng.randint(10)
        if kind == 0:
            image = image.convert("L")
            tags.append("L")
        elif kind == 1:
            image = image.convert("CMYK")
            tags.append("cmyk")
        out = io.BytesIO()
        try:
            image.save(out, "JPEG", **kwargs)
        except (OSError, ValueError) as error:
            print("skip pillow:", tags, error, file=sys.stderr)
            continue
        yield f"pj{i:04d}_{width}x{height}_{'_'.join(tags)}.jpg", out.getvalue()

    # A huge APP segment and many small ones, and an EXIF segment in a second APP1.
    base = io.BytesIO()
    Image.fromarray(crop(pictures[names[0]], 33, 17, rng)).save(base, "JPEG", quality=90)
    data = base.getvalue()
    app = b"\xff\xe5" + struct.pack(">H", 65535) + b"\x00" * 65533
    yield "app_huge.jpg", data[:2] + app * 3 + data[2:]
    yield "app_many.jpg", data[:2] + (b"\xff\xec\x00\x04ab") * 2000 + data[2:]
    yield "app_fill_ff.jpg", data[:2] + b"\xff" * 50 + data[2:]


def ycck_cases(pictures, rng):
    """CMYK and YCCK from libjpeg through the existing C helper, when it is built."""
    return []


# ---------------------------------------------------------------- PNG

def chunk(kind, payload):
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)


def filter_rows(raw_rows, bpp, filters):
    """Applies PNG filters per row; raw_rows is a list of bytes per (sub)image row."""
    out = bytearray()
    previous = bytes(len(raw_rows[0])) if raw_rows else b""
    for row, f in zip(raw_rows, filters):
        line = bytearray(len(row))
        for i in range(len(row)):
            a = row[i - bpp] if i >= bpp else 0
            b = previous[i]
            c = previous[i - bpp] if i >= bpp else 0
            if f == 0:
                pred = 0
            elif f == 1:
                pred = a
            elif f == 2:
                pred = b
            elif f == 3:
                pred = (a + b) // 2
            else:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            line[i] = (row[i] - pred) & 255
        out.append(f)
        out += line
        previous = row
    return bytes(out)


def pack_samples(samples, depth):
    """Packs a 2-D array of samples (h, w*channels) to PNG rows."""
    rows = []
    for r in samples:
        if depth == 16:
            rows.append(r.astype(">u2").tobytes())
        elif depth == 8:
            rows.append(r.astype(np.uint8).tobytes())
        else:
            per = 8 // depth
            padded = np.zeros(((len(r) + per - 1) // per) * per, np.uint8)
            padded[:len(r)] = r
            padded = padded.reshape(-1, per)
            value = np.zeros(len(padded), np.uint16)
            for k in range(per):
                value = (value << depth) | padded[:, k]
            rows.append(value.astype(np.uint8).tobytes())
    return rows


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def write_png(samples, color_type, depth, rng, interlace=False, palette=None, trns=None, extra=(), idat_split=None,
              filters="random", level=6, chunk_order="normal"):
    """samples: (h, w, channels) integer array."""
    h, w, channels = samples.shape
    bpp = max(1, channels * depth // 8)
    raw_rows_sets = []
    if interlace:
        for x0, y0, dx, dy in ADAM7:
            sub = samples[y0::dy, x0::dx]
            if sub.shape[0] and sub.shape[1]:
                raw_rows_sets.append(pack_samples(sub.reshape(sub.shape[0], -1), depth))
    else:
        raw_rows_sets.append(pack_samples(samples.reshape(h, -1), depth))
    data = b""
    for rows in raw_rows_sets:
        if filters == "random":
            fs = [int(rng.randint(5)) for _ in rows]
        else:
            fs = [filters] * len(rows)
        data += filter_rows(rows, bpp, fs)
    compressed = zlib.compress(data, level)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, color_type, 0, 0, 1 if interlace else 0))
    before = [c for c in extra if c[0] in (b"gAMA", b"iCCP", b"sRGB", b"cHRM", b"sBIT", b"pHYs", b"tIME", b"tEXt", b"zTXt", b"iTXt", b"eXIf")]
    for kind, payload in before:
        out += chunk(kind, payload)
    if palette is not None:
        out += chunk(b"PLTE", palette)
    if trns is not None:
        out += chunk(b"tRNS", trns)
    pieces = [compressed]
    if idat_split:
        pieces = [compressed[k:k + idat_split] for k in range(0, len(compressed), idat_split)] or [b""]
        if chunk_order == "empty_idat":
            pieces = [b""] + pieces + [b""]
    for piece in pieces:
        out += chunk(b"IDAT", piece)
    if chunk_order == "text_after":
        out += chunk(b"tEXt", b"Comment\x00after data")
    out += chunk(b"IEND", b"")
    return out


def png_raw(samples, color_type, depth, raw_tail=b"", zlib_tail=b"", chunks_before=(), palette=None, trns=None, drop_rows=0):
    """A non-interlaced PNG with filter 0 rows and the quirks asked for."""
    rows = pack_samples(samples.reshape(samples.shape[0], -1), depth)
    bpp = max(1, samples.shape[2] * depth // 8)
    filtered = filter_rows(rows, bpp, [0] * len(rows))
    if drop_rows:
        filtered = filtered[:len(filtered) - drop_rows * (len(rows[0]) + 1)]
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", samples.shape[1], samples.shape[0], depth, color_type, 0, 0, 0))
    for kind, payload in chunks_before:
        out += chunk(kind, payload)
    if palette is not None:
        out += chunk(b"PLTE", palette)
    if trns is not None:
        out += chunk(b"tRNS", trns)
    return out + chunk(b"IDAT", zlib.compress(filtered + raw_tail) + zlib_tail) + chunk(b"IEND", b"")


def png_cases(pictures, scale):
    rng = np.random.RandomState(7)
    names = sorted(pictures)
    modes = ["1", "L", "LA", "P", "Ptrns", "RGB", "RGBA", "I;16", "I", "RGBtrns", "Ltrns", "PA"]
    for i in range(int(350 * scale)):
        picture = pictures[names[rng.randint(len(names))]]
        width, height = SIZES[rng.randint(len(SIZES))]
        if rng.rand() < 0.3:
            width, height = rng.randint(1, 70), rng.randint(1, 70)
        rgb = crop(picture, width, height, rng)
        mode = modes[i % len(modes)]
        image = Image.fromarray(rgb)
        kwargs = {"compress_level": int(rng.randint(0, 10))}
        tags = [mode.replace(";", ""), f"c{kwargs['compress_level']}"]
        if mode in ("1", "L", "RGB", "RGBA", "I"):
            image = image.convert(mode) if mode != "RGBA" else image.convert("RGBA")
            if mode == "RGBA":
                alpha = rng.randint(0, 256, (height, width)).astype(np.uint8)
                image.putalpha(Image.fromarray(alpha))
            if mode == "I":
                image = Image.fromarray((np.asarray(rgb[..., 0], np.int32) * 257 - 1000).astype(np.int32), "I")
        elif mode == "LA":
            image = image.convert("LA")
        elif mode in ("P", "Ptrns", "PA"):
            image = image.quantize(int([2, 4, 16, 200, 256][rng.randint(5)]))
            if mode == "Ptrns":
                kwargs["transparency"] = int(rng.randint(0, 2))
            elif mode == "PA":
                kwargs["transparency"] = bytes(rng.randint(0, 256, 3).astype(np.uint8))
        elif mode == "I;16":
            image = Image.fromarray((np.asarray(rgb[..., 1], np.uint16) * 257).astype(np.uint16), "I;16")
        elif mode == "RGBtrns":
            kwargs["transparency"] = tuple(int(v) for v in rgb[0, 0])
        elif mode == "Ltrns":
            image = image.convert("L")
            kwargs["transparency"] = int(np.asarray(image)[0, 0])
        if rng.rand() < 0.3:
            kwargs["optimize"] = True
            tags.append("opt")
        if rng.rand() < 0.3:
            o = int(rng.randint(1, 9))
            kwargs["exif"] = exif_orientation(o)
            tags.append(f"exif{o}")
        if rng.rand() < 0.1:
            kwargs["dpi"] = (72, 300)
        if rng.rand() < 0.1:
            kwargs["icc_profile"] = bytes(range(256)) * 10
            tags.append("icc")
        out = io.BytesIO()
        try:
            image.save(out, "PNG", **kwargs)
        except (OSError, ValueError, TypeError) as error:
            print("skip png:", tags, error, file=sys.stderr)
            continue
        yield f"pp{i:04d}_{width}x{height}_{'_'.join(tags)}.png", out.getvalue()

    # Our own writer: every color type and depth, Adam7, filters, IDAT splits, ancillary chunks.
    combos = [(0, 1), (0, 2), (0, 4), (0, 8), (0, 16), (2, 8), (2, 16), (3, 1), (3, 2), (3, 4), (3, 8), (4, 8), (4, 16), (6, 8), (6, 16)]
    extras = [
        (b"gAMA", struct.pack(">I", 45455)), (b"gAMA", struct.pack(">I", 100000)), (b"sRGB", b"\x00"),
        (b"iCCP", b"icc\x00\x00" + zlib.compress(bytes(range(256)) * 4)),
        (b"pHYs", struct.pack(">IIB", 2835, 2835, 1)), (b"tIME", struct.pack(">HBBBBB", 2020, 1, 2, 3, 4, 5)),
        (b"tEXt", b"Comment\x00hello"), (b"zTXt", b"Comment\x00\x00" + zlib.compress(b"compressed text")),
        (b"iTXt", b"Comment\x00\x00\x00en\x00\x00hello"), (b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00<x/>"),
        (b"cHRM", struct.pack(">8I", 31270, 32900, 64000, 33000, 30000, 60000, 15000, 6000)), (b"sBIT", b"\x05\x06\x05"),
    ]
    for i in range(int(700 * scale)):
        color_type, depth = combos[i % len(combos)]
        width, height = SIZES[rng.randint(len(SIZES))]
        if rng.rand() < 0.4:
            width, height = rng.randint(1, 40), rng.randint(1, 40)
        channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[color_type]
        top = (1 << depth) - 1
        picture = crop(pictures[names[rng.randint(len(names))]], width, height, rng).astype(np.int64)
        if depth == 16:
            base = picture * 256 + rng.randint(0, 256, picture.shape)
        else:
            base = picture >> (8 - depth)
        if color_type == 0:
            samples = base[..., :1]
        elif color_type == 4:
            samples = np.concatenate([base[..., :1], rng.randint(0, top + 1, (height, width, 1))], -1)
        elif color_type == 6:
            samples = np.concatenate([base, rng.randint(0, top + 1, (height, width, 1))], -1)
        elif color_type == 2:
            samples = base
        else:
            entries = int(rng.randint(1, (1 << depth) + 1))
            samples = rng.randint(0, entries, (height, width, 1))
        palette = trns = None
        tags = [f"ct{color_type}", f"d{depth}"]
        if color_type == 3:
            entries = int(samples.max()) + 1
            if rng.rand() < 0.2 and entries < 256:
                # A palette shorter than the indices used: Pillow fills black.
                entries = max(1, entries - 1)
                tags.append("shortplte")
            palette = bytes(rng.randint(0, 256, entries * 3).astype(np.uint8))
            if rng.rand() < 0.4:
                trns = bytes(rng.randint(0, 256, int(rng.randint(1, entries + 1))).astype(np.uint8))
                tags.append("trns")
        elif color_type in (0, 2) and rng.rand() < 0.3:
            value = samples[0, 0] if rng.rand() < 0.7 else rng.randint(0, top + 1, channels)
            trns = b"".join(struct.pack(">H", int(v)) for v in np.ravel(value))
            tags.append("trns")
        interlace = rng.rand() < 0.5
        if interlace:
            tags.append("adam7")
        extra = [extras[k] for k in rng.choice(len(extras), int(rng.randint(0, 4)), replace=False)]
        if rng.rand() < 0.15:
            o = int(rng.randint(1, 9))
            extra.append((b"eXIf", exif_orientation(o)[6:] if exif_orientation(o).startswith(b"Exif") else exif_orientation(o)))
            tags.append(f"exif{o}")
        for kind, _ in extra:
            tags.append(kind.decode())
        split = [None, 1, 7, 100][rng.randint(4)]
        if split:
            tags.append(f"split{split}")
        order = ["normal", "empty_idat", "text_after"][rng.randint(3)] if split else "normal"
        if order != "normal":
            tags.append(order)
        filters = "random" if rng.rand() < 0.6 else int(rng.randint(5))
        tags.append(f"f{filters}")
        data = write_png(samples, color_type, depth, rng, interlace, palette, trns, extra, split, filters,
                         int(rng.randint(0, 10)), order)
        yield f"own{i:04d}_{width}x{height}_{'_'.join(tags)}.png", data


# ---------------------------------------------------------------- metadata placement, EXIF variants, APNG, large photos

def tiff_block(entries, little=True, ifd_offset=8, count=None, tail=b""):
    """A TIFF structure with one IFD of (tag, type, count, value bytes) entries."""
    e = "<" if little else ">"
    body = struct.pack(e + "H", len(entries) if count is None else count)
    for tag, typ, n, value in entries:
        body += struct.pack(e + "HHI", tag, typ, n) + value.ljust(4, b"\x00")[:4]
    body += struct.pack(e + "I", 0)
    head = (b"II*\x00" if little else b"MM\x00*") + struct.pack(e + "I", ifd_offset)
    return head + b"\x00" * max(0, ifd_offset - 8) + body + tail


def exif_variants():
    """EXIF blocks as cameras and editors write them, plus malformed ones; name -> TIFF bytes."""
    out = {}
    for little in (True, False):
        e = "<" if little else ">"
        bo = "le" if little else "be"
        for o in (3, 6, 8):
            out[f"{bo}_short{o}"] = tiff_block([(0x010F, 2, 4, b"Cam\x00"), (0x0112, 3, 1, struct.pack(e + "H", o))], little)
            out[f"{bo}_long{o}"] = tiff_block([(0x0112, 4, 1, struct.pack(e + "I", o))], little)
        out[f"{bo}_byte6"] = tiff_block([(0x0112, 1, 1, b"\x06")], little)
        out[f"{bo}_sshort6"] = tiff_block([(0x0112, 8, 1, struct.pack(e + "h", 6))], little)
        out[f"{bo}_slong6"] = tiff_block([(0x0112, 9, 1, struct.pack(e + "i", 6))], little)
        out[f"{bo}_ascii6"] = tiff_block([(0x0112, 2, 2, b"6\x00")], little)
        out[f"{bo}_undef6"] = tiff_block([(0x0112, 7, 1, b"\x06")], little)
        out[f"{bo}_short_count2"] = tiff_block([(0x0112, 3, 2, struct.pack(e + "HH", 6, 6))], little)
        out[f"{bo}_short_count0"] = tiff_block([(0x0112, 3, 0, struct.pack(e + "H", 6))], little)
        out[f"{bo}_twice_6_then_3"] = tiff_block([(0x0112, 3, 1, struct.pack(e + "H", 6)), (0x0112, 3, 1, struct.pack(e + "H", 3))], little)
        out[f"{bo}_badtype6"] = tiff_block([(0x0112, 99, 1, struct.pack(e + "H", 6))], little)
        out[f"{bo}_count_too_big"] = tiff_block([(0x0112, 3, 1, struct.pack(e + "H", 6))], little, count=500)
        out[f"{bo}_ifd_past_end"] = tiff_block([(0x0112, 3, 1, struct.pack(e + "H", 6))], little, ifd_offset=4000)
        out[f"{bo}_ifd_gap"] = tiff_block([(0x0112, 3, 1, struct.pack(e + "H", 6))], little, ifd_offset=40)
        out[f"{bo}_value9"] = tiff_block([(0x0112, 3, 1, struct.pack(e + "H", 9))], little)
        out[f"{bo}_value0"] = tiff_block([(0x0112, 3, 1, struct.pack(e + "H", 0))], little)
        out[f"{bo}_value65535"] = tiff_block([(0x0112, 3, 1, struct.pack(e + "H", 65535))], little)
        out[f"{bo}_rational12_2"] = tiff_block([(0x0112, 5, 1, struct.pack(e + "I", 26))], little, tail=struct.pack(e + "II", 12, 2))
        out[f"{bo}_rational13_2"] = tiff_block([(0x0112, 5, 1, struct.pack(e + "I", 26))], little, tail=struct.pack(e + "II", 13, 2))
        out[f"{bo}_srational"] = tiff_block([(0x0112, 10, 1, struct.pack(e + "I", 26))], little, tail=struct.pack(e + "ii", -16, -2))
        out[f"{bo}_float6"] = tiff_block([(0x0112, 11, 1, struct.pack(e + "f", 6.0))], little)
        out[f"{bo}_double5"] = tiff_block([(0x0112, 12, 1, struct.pack(e + "I", 26))], little, tail=struct.pack(e + "d", 5.0))
        out[f"{bo}_sbyte6"] = tiff_block([(0x0112, 6, 1, b"\x06")], little)
        out[f"{bo}_long8_7"] = tiff_block([(0x0112, 16, 1, struct.pack(e + "I", 26))], little, tail=struct.pack(e + "Q", 7))
        out[f"{bo}_bad_make_offset_first"] = tiff_block([(0x010F, 2, 40, struct.pack(e + "I", 5000)), (0x0112, 3, 1, struct.pack(e + "H", 6))], little)
        out[f"{bo}_unknown_type_then_6"] = tiff_block([(0x0112, 3, 1, struct.pack(e + "H", 3)), (0x0112, 77, 1, struct.pack(e + "H", 8))], little)
        out[f"{bo}_6_then_count0"] = tiff_block([(0x0112, 3, 1, struct.pack(e + "H", 6)), (0x0112, 3, 0, struct.pack(e + "H", 8))], little)
        out[f"{bo}_swapped_prefix6"] = (b"II\x00*" if little else b"MM*\x00") + tiff_block([(0x0112, 3, 1, struct.pack(e + "H", 6))], little)[4:]
        out[f"{bo}_bigtiff"] = (b"II+\x00" if little else b"MM\x00+") + b"\x08\x00\x00\x00" * 4
        # Orientation only in IFD1 (the thumbnail's directory): Pillow reads IFD0.
        ifd0 = struct.pack(e + "H", 1) + struct.pack(e + "HHI", 0x010F, 2, 4) + b"Cam\x00" + struct.pack(e + "I", 26)
        ifd1 = struct.pack(e + "H", 1) + struct.pack(e + "HHI", 0x0112, 3, 1) + struct.pack(e + "H", 6) + b"\x00\x00" + struct.pack(e + "I", 0)
        out[f"{bo}_ifd1_only"] = (b"II*\x00" if little else b"MM\x00*") + struct.pack(e + "I", 8) + ifd0 + ifd1
        full = tiff_block([(0x0112, 3, 1, struct.pack(e + "H", 6))], little)
        for cut in (9, 12, 17, 19, 21):
            out[f"{bo}_cut{cut}"] = full[:cut]
    out["bad_byte_order"] = b"XX*\x00" + tiff_block([(0x0112, 3, 1, struct.pack("<H", 6))])[4:]
    out["empty"] = b""
    out["short_head"] = b"II*\x00\x08"
    return out


def jpeg_segments(data):
    """Splits a JPEG into (marker, whole segment bytes) up to the first SOS, and the rest."""
    pos, out = 2, []
    while True:
        marker = data[pos + 1]
        length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        if marker == 0xDA:
            return out, data[pos:]
        out.append((marker, data[pos:pos + 2 + length]))
        pos += 2 + length


def second_sos(rest):
    """Offset of the second SOS marker in data that starts with the first."""
    return rest.find(b"\xff\xda", 2)


def app1(payload):
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def extra_cases(pictures, scale):
    rng = np.random.RandomState(5)
    rgb = crop(pictures["china"], 37, 23, rng) if "china" in pictures else crop(pictures["noise"], 37, 23, rng)
    base = run("cjpeg", ["-quality", "85", "-sample", "2x2"], ppm(rgb))
    segments, rest = jpeg_segments(base)
    header = b"\xff\xd8" + b"".join(seg for _, seg in segments)
    for name, tiff in exif_variants().items():
        yield f"exif_{name}.jpg", b"\xff\xd8" + app1(b"Exif\x00\x00" + tiff) + header[2:] + rest
    # Two APP1s: XMP first, then EXIF; EXIF then XMP saying otherwise.
    xmp = b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta><rdf:Description tiff:Orientation=\"3\"/></x:xmpmeta>"
    six = tiff_block([(0x0112, 3, 1, struct.pack("<H", 6))])
    none = tiff_block([(0x010F, 2, 4, b"Cam\x00")])
    yield "app1_xmp_then_exif6.jpg", b"\xff\xd8" + app1(xmp) + app1(b"Exif\x00\x00" + six) + header[2:] + rest
    yield "app1_exif_without_orientation_xmp3.jpg", b"\xff\xd8" + app1(b"Exif\x00\x00" + none) + app1(xmp) + header[2:] + rest
    yield "app1_exif_no_prefix.jpg", b"\xff\xd8" + app1(six) + header[2:] + rest
    yield "app1_exif_single_nul.jpg", b"\xff\xd8" + app1(b"Exif\x00" + six) + header[2:] + rest
    yield "app1_exif_x_prefix.jpg", b"\xff\xd8" + app1(b"Exif\x00x" + six) + header[2:] + rest
    # A JFIF header in inches before the EXIF: Pillow reads the EXIF only in exif_transpose, where errors escape.
    jfif_dpi = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x01\x00\x48\x00\x48\x00\x00"
    body = b"".join(seg for m, seg in segments if m != 0xE0)
    for name, tiff in [("bad_order", b"XX*\x00" + six[4:]), ("short", six[:6]), ("ok6", six), ("bigtiff", b"II+\x00" + b"\x00" * 12)]:
        yield f"jfif_dpi_then_exif_{name}.jpg", b"\xff\xd8" + jfif_dpi + app1(b"Exif\x00\x00" + tiff) + body + rest
        yield f"exif_then_jfif_dpi_{name}.jpg", b"\xff\xd8" + app1(b"Exif\x00\x00" + tiff) + jfif_dpi + body + rest
    # Markers after the first scan: Pillow reads APPn only before it; libjpeg fixes the color space before it.
    prog = run("cjpeg", ["-quality", "85", "-progressive"], ppm(rgb))
    segments, rest = jpeg_segments(prog)
    header = b"\xff\xd8" + b"".join(seg for _, seg in segments)
    cut = second_sos(rest)
    yield "exif6_after_first_scan.jpg", header + rest[:cut] + app1(b"Exif\x00\x00" + six) + rest[cut:]
    adobe0 = b"\xff\xee\x00\x0eAdobe\x00\x64\x00\x00\x00\x00\x00"
    nojfif = b"\xff\xd8" + b"".join(seg for m, seg in segments if m != 0xE0)
    yield "adobe_rgb_after_first_scan.jpg", nojfif + rest[:cut] + adobe0 + rest[cut:]
    yield "adobe_rgb_before_scan_no_jfif.jpg", nojfif + adobe0 + rest
    yield "jfif_after_first_scan_adobe.jpg", b"\xff\xd8" + adobe0 + b"".join(seg for m, seg in segments if m != 0xE0) + rest[:cut] + segments[0][1] + rest[cut:]
    # DRI defined after the first scan (applies to later scans) and a DRI of 0 that turns restarts off.
    prog_r = run("cjpeg", ["-quality", "85", "-progressive", "-restart", "1B"], ppm(rgb))
    segments_r, rest_r = jpeg_segments(prog_r)
    dri = [seg for m, seg in segments_r if m == 0xDD][0]
    no_dri = b"\xff\xd8" + b"".join(seg for m, seg in segments_r if m != 0xDD)
    yield "bad_dri_between_scans_nodata.jpg", header + rest[:cut] + dri + rest[cut:]
    yield "dri_zero_before_scan.jpg", header + b"\xff\xdd\x00\x04\x00\x00" + rest

    # Odd markers before and between scans: libjpeg skips some with a warning, refuses others; Pillow's parser runs up to SOS.
    for name, insert in [("tem", b"\xff\x01"), ("soi", b"\xff\xd8"), ("rst3", b"\xff\xd3"), ("res_9e", b"\xff\x9e\x00\x04ab"),
                         ("jpg", b"\xff\xc8\x00\x04ab"), ("jpg5", b"\xff\xf5\x00\x04ab"), ("dhp", b"\xff\xde\x00\x04ab"),
                         ("dnl", b"\xff\xdc\x00\x04\x00\x17"), ("dac", b"\xff\xcc\x00\x06\x00\x10\x10\x05"),
                         ("com", b"\xff\xfe\x00\x05hi!"), ("junk", b"junk bytes"), ("ff00", b"\xff\x00"), ("fill", b"\xff\xff\xff"),
                         ("app15", b"\xff\xef\x00\x02")]:
        yield f"marker_{name}_before_sof.jpg", header[:2] + insert + header[2:] + rest
        yield f"marker_{name}_between_scans.jpg", header + rest[:cut] + insert + rest[cut:]

    # PNG: eXIf after IDAT, Raw profile text; APNG from Pillow.
    png = io.BytesIO()
    Image.fromarray(rgb).save(png, "PNG")
    data = png.getvalue()
    iend = data.rfind(b"IEND") - 4
    exif6 = tiff_block([(0x0112, 3, 1, struct.pack(">H", 6))], little=False)
    yield "png_exif_after_idat.png", data[:iend] + chunk(b"eXIf", exif6) + data[iend:]
    ihdr_end = 8 + 25
    yield "png_exif_before_idat.png", data[:ihdr_end] + chunk(b"eXIf", exif6) + data[ihdr_end:]
    yield "png_exif_prefixed.png", data[:ihdr_end] + chunk(b"eXIf", b"Exif\x00\x00" + exif6) + data[ihdr_end:]
    yield "png_two_exif.png", data[:ihdr_end] + chunk(b"eXIf", exif6) + chunk(b"eXIf", tiff_block([(0x0112, 3, 1, struct.pack("<H", 3))])) + data[ihdr_end:]
    for name, tiff in list(exif_variants().items())[::3]:
        yield f"png_exif_{name}.png", data[:ihdr_end] + chunk(b"eXIf", tiff) + data[ihdr_end:]
    def raw_profile(text, kind=b"tEXt"):
        payload = b"Raw profile type exif\x00" + (b"\x00" if kind == b"zTXt" else b"") + (zlib.compress(text) if kind == b"zTXt" else text)
        return data[:ihdr_end] + chunk(kind, payload) + data[ihdr_end:]
    hexed = (b"Exif\x00\x00" + exif6).hex().encode()
    yield "png_raw_profile_ok.png", raw_profile(b"\nexif\n      %d\n" % (len(hexed) // 2) + hexed[:40] + b"\n" + hexed[40:] + b"\n")
    yield "png_raw_profile_ztxt.png", raw_profile(b"\nexif\n      %d\n" % (len(hexed) // 2) + hexed, b"zTXt")
    yield "png_raw_profile_nohead.png", raw_profile(b"\nexif\n      %d\n" % (len(hexed) // 2) + exif6.hex().encode())
    yield "png_raw_profile_badhex.png", raw_profile(b"\nexif\n      10\n" + hexed[:20] + b"zz")
    yield "png_raw_profile_odd.png", raw_profile(b"\nexif\n      10\n" + hexed[:21])
    yield "png_raw_profile_space_in_byte.png", raw_profile(b"\nexif\n      10\n" + hexed[:3] + b" " + hexed[3:20])
    yield "png_raw_profile_two_lines.png", raw_profile(b"\nexif\n" + hexed)
    yield "png_raw_profile_not_tiff.png", raw_profile(b"\nexif\n 4\n" + b"41424344")
    yield "png_exif_empty_xmp6.png", data[:ihdr_end] + chunk(b"eXIf", b"") + chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00<x tiff:Orientation=\"6\"/>") + data[ihdr_end:]
    yield "png_unknown_ancillary.png", data[:ihdr_end] + chunk(b"vpAg", b"\x00" * 9) + chunk(b"bKGD", b"\x00\x01\x00\x02\x00\x03") + data[ihdr_end:]
    yield "png_plte_in_rgb.png", data[:ihdr_end] + chunk(b"PLTE", bytes(range(30))) + data[ihdr_end:]
    # Encoder quirks seen in the wild: zlib data with extra bytes or extra scanlines, odd tRNS/PLTE layouts.
    small = crop(pictures["gradient"], 11, 7, rng).astype(np.int64)
    idx = rng.randint(0, 4, (7, 11, 1))
    pal = bytes(range(12))
    yield "pngq_extra_scanline.png", png_raw(small, 2, 8, raw_tail=b"\x00" + bytes(33))
    yield "pngq_extra_bytes_in_zlib.png", png_raw(small, 2, 8, raw_tail=b"junk")
    yield "pngq_bytes_after_zlib_end.png", png_raw(small, 2, 8, zlib_tail=b"\x00\x00junk")
    yield "pngq_missing_last_row.png", png_raw(small, 2, 8, drop_rows=1)
    yield "pngq_missing_rows_palette.png", png_raw(idx, 3, 8, palette=pal, drop_rows=3)
    yield "pngq_missing_half_row.png", png_raw(small, 2, 8, drop_rows=1, raw_tail=b"\x00" + bytes(10))
    yield "pngq_missing_all_rows.png", png_raw(small, 2, 8, drop_rows=7)
    cut_idat = png_raw(small, 2, 8)
    start = cut_idat.find(b"IDAT") + 4
    length = struct.unpack(">I", cut_idat[start - 8:start - 4])[0]
    yield "pngq_zlib_cut.png", cut_idat[:start - 8] + chunk(b"IDAT", cut_idat[start:start + length - 12]) + chunk(b"IEND", b"")
    yield "pngq_trns_longer_than_palette.png", png_raw(idx, 3, 8, palette=pal, trns=bytes([10, 20, 30, 40, 50, 60]))
    yield "pngq_trns_empty_palette.png", png_raw(idx, 3, 8, palette=pal, trns=b"")
    yield "pngq_trns_before_plte.png", png_raw(idx, 3, 8, chunks_before=[(b"tRNS", b"\x10\x20")], palette=pal)
    yield "pngq_two_plte.png", png_raw(idx, 3, 8, chunks_before=[(b"PLTE", bytes(range(100, 112)))], palette=pal)
    yield "pngq_trns_on_rgba.png", png_raw(np.concatenate([small, small[..., :1]], -1), 6, 8, trns=b"\x00\x01\x00\x02\x00\x03")
    yield "pngq_trns_gray_wrong_size.png", png_raw(small[..., :1], 0, 8, trns=b"\x00")
    yield "pngq_trns_rgb_wrong_size.png", png_raw(small, 2, 8, trns=b"\x00\x01\x00\x02")
    yield "pngq_plte_on_gray.png", png_raw(small[..., :1], 0, 8, palette=pal)
    yield "pngq_bkgd_sbit_hist.png", png_raw(idx, 3, 8, chunks_before=[(b"sBIT", b"\x08\x08\x08")], palette=pal, trns=b"\x80")
    yield "pngq_gray16_trns_value.png", png_raw(small[..., :1] * 257, 0, 16, trns=struct.pack(">H", int(small[0, 0, 0]) * 257))
    frames = [Image.fromarray(crop(pictures["gradient"], 29, 19, rng)) for _ in range(3)]
    for k, extra in enumerate([{}, {"disposal": 2}, {"blend": 1}, {"default_image": True}]):
        out = io.BytesIO()
        frames[0].save(out, "PNG", save_all=True, append_images=frames[1:], duration=100, **extra)
        yield f"apng_{k}.png", out.getvalue()
    rgba_frames = [f.convert("RGBA") for f in frames]
    out = io.BytesIO()
    rgba_frames[0].save(out, "PNG", save_all=True, append_images=rgba_frames[1:], default_image=True)
    yield "apng_rgba_default.png", out.getvalue()

    # Large photos: whole pictures tiled up to camera-like sizes.
    for k in range(max(1, int(8 * scale))):
        name = sorted(pictures)[k % len(pictures)]
        width, height = [(1024, 768), (1200, 1600), (2000, 1333), (641, 427)][k % 4]
        big = crop(pictures[name], width, height, rng)
        args = [["-quality", "92"], ["-quality", "75", "-progressive", "-optimize"], ["-quality", "98", "-sample", "1x1"],
                ["-quality", "60", "-sample", "2x1", "-restart", "3"]][k % 4]
        yield f"big{k}_{width}x{height}_{'_'.join(a.lstrip('-') for a in args)}.jpg", run("cjpeg", args, ppm(big))
        out = io.BytesIO()
        Image.fromarray(big).save(out, "PNG", compress_level=1)
        yield f"big{k}_{width}x{height}.png", out.getvalue()


# ---------------------------------------------------------------- damaged files

def bad_cases(pictures, good):
    """Truncations, trailing garbage and header damage applied to a sample of the good files."""
    rng = np.random.RandomState(99)
    names = sorted(good)
    for k in range(0, len(names), max(1, len(names) // 120)):
        name = names[k]
        data = good[name]
        stem = name.rsplit(".", 1)[0]
        ext = name.rsplit(".", 1)[1]
        for fraction in (0.5, 0.9, 0.99):
            yield f"bad_trunc{int(fraction * 100)}_{stem}.{ext}", data[:int(len(data) * fraction)]
        yield f"bad_trunc_last2_{stem}.{ext}", data[:-2]
        yield f"bad_trunc_last1_{stem}.{ext}", data[:-1]
        yield f"bad_trail_zero_{stem}.{ext}", data + b"\x00" * 100
        yield f"bad_trail_text_{stem}.{ext}", data + b"garbage after the end"
        yield f"bad_trail_copy_{stem}.{ext}", data + data
        flip = bytearray(data)
        at = int(rng.randint(len(data) // 2, len(data)))
        flip[at] ^= 0x5A
        yield f"bad_flip_{stem}.{ext}", bytes(flip)
    # 12-bit and 16-bit precision marks in SOF, a huge dimension.
    sample = next(good[n] for n in names if n.startswith("cj") and "prog" not in n and "arith" not in n)
    sof = sample.find(b"\xff\xc0")
    if sof > 0:
        twelve = bytearray(sample)
        twelve[sof + 1] = 0xC1
        twelve[sof + 4] = 12
        yield "bad_12bit.jpg", bytes(twelve)
        big = bytearray(sample)
        big[sof + 5:sof + 7] = struct.pack(">H", 65535)
        yield "bad_height65535.jpg", bytes(big)
    # Other formats by their signature.
    for fmt in ("GIF", "WEBP", "BMP", "TIFF", "PPM", "ICO"):
        out = io.BytesIO()
        try:
            Image.fromarray(crop(pictures["gradient"], 9, 9, rng)).save(out, fmt)
        except (OSError, KeyError, ValueError) as error:
            print("skip", fmt, error, file=sys.stderr)
            continue
        yield f"other_{fmt.lower()}.bin", out.getvalue()
    yield "other_zeros.bin", b"\x00" * 4096
    yield "other_empty.bin", b""
    yield "other_heic.bin", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 100
    yield "other_avif.bin", b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf" + b"\x00" * 100


# ---------------------------------------------------------------- committed regression files

def regression_cases():
    """One small file per defect the sweep found, built from a 13x7 picture; name -> bytes."""
    rng = np.random.RandomState(3)
    rgb = crop(source_pictures()["gradient"], 13, 7, rng)
    rgb[2:5, 3:6] = (250, 20, 20)  # an asymmetric mark, so every orientation shows
    base = run("cjpeg", ["-quality", "90", "-sample", "2x2"], ppm(rgb))
    segments, rest = jpeg_segments(base)
    header = b"\xff\xd8" + b"".join(seg for _, seg in segments)
    prog = run("cjpeg", ["-quality", "90", "-progressive"], ppm(rgb))
    psegments, prest = jpeg_segments(prog)
    pheader = b"\xff\xd8" + b"".join(seg for _, seg in psegments)
    pnojfif = b"\xff\xd8" + b"".join(seg for m, seg in psegments if m != 0xE0)
    cut = second_sos(prest)
    adobe0 = b"\xff\xee\x00\x0eAdobe\x00\x64\x00\x00\x00\x00\x00"
    le = lambda fmt, *v: struct.pack("<" + fmt, *v)  # noqa: E731
    be = lambda fmt, *v: struct.pack(">" + fmt, *v)  # noqa: E731
    six = tiff_block([(0x0112, 3, 1, le("H", 6))])

    def with_exif(tiff):
        return b"\xff\xd8" + app1(b"Exif\x00\x00" + tiff) + header[2:] + rest

    cases = {
        # libjpeg settles the color space, and Pillow reads EXIF, from the markers before the first scan only.
        "jpeg_adobe_rgb_after_first_scan.jpg": pnojfif + prest[:cut] + adobe0 + prest[cut:],
        "jpeg_jfif_after_first_scan.jpg": b"\xff\xd8" + adobe0 + pnojfif[2:] + prest[:cut] + psegments[0][1] + prest[cut:],
        "jpeg_exif6_after_first_scan.jpg": pheader + prest[:cut] + app1(b"Exif\x00\x00" + six) + prest[cut:],
        # Orientation entries as Pillow reads them.
        "jpeg_exif_sshort6_be.jpg": with_exif(tiff_block([(0x0112, 8, 1, be("h", 6))], little=False)),
        "jpeg_exif_rational8.jpg": with_exif(tiff_block([(0x0112, 5, 1, le("I", 26))], tail=le("II", 16, 2))),
        "jpeg_exif_repeated_6_then_3.jpg": with_exif(tiff_block([(0x0112, 3, 1, le("H", 6)), (0x0112, 3, 1, le("H", 3))])),
        "jpeg_exif_count0.jpg": with_exif(tiff_block([(0x0112, 3, 0, le("H", 6))])),
        "jpeg_exif_bad_offset_first.jpg": with_exif(tiff_block([(0x010F, 2, 40, le("I", 5000)), (0x0112, 3, 1, le("H", 6))])),
        "jpeg_exif_swapped_prefix5.jpg": with_exif(b"II\x00*" + tiff_block([(0x0112, 3, 1, le("H", 5))])[4:]),
        # Markers libjpeg reads and ignores in a Huffman file.
        "jpeg_marker_dnl.jpg": header + rest[:-2] + b"\xff\xdc\x00\x04\x00\x07" + rest[-2:],
        "jpeg_marker_dac.jpg": header[:2] + b"\xff\xcc\x00\x06\x00\x10\x10\x05" + header[2:] + rest,
        # Files Pillow (so transformers' load_image) cannot read: the library must refuse them.
        "jpeg_exif_truncated_header.jpg": with_exif(six[:6]),
        "jpeg_jfif_dpi_then_exif_not_tiff.jpg": b"\xff\xd8" + b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x01\x00\x48\x00\x48\x00\x00"
            + app1(b"Exif\x00\x00XX*\x00" + six[4:]) + b"".join(seg for m, seg in segments if m != 0xE0) + rest,
        "jpeg_marker_unknown_9e.jpg": header[:2] + b"\xff\x9e\x00\x04ab" + header[2:] + rest,
        "jpeg_marker_tem_before_sof.jpg": header[:2] + b"\xff\x01" + header[2:] + rest,
        "jpeg_marker_second_soi.jpg": pheader + prest[:cut] + b"\xff\xd8" + prest[cut:],
    }
    # Non-baseline (16-bit) quantizers, as cjpeg writes at very low quality: dequantized values leave the 16-bit range of
    # libjpeg-turbo's SIMD IDCT, which wraps and saturates where 32-bit arithmetic does not.
    with tempfile.TemporaryDirectory() as tmp:
        tables = os.path.join(tmp, "q.txt")
        with open(tables, "w") as f:
            f.write(" ".join(str(200 + i * 10) for i in range(64)) + "\n")
        noise = np.asarray(Image.fromarray(crop(source_pictures()["noise"], 16, 16, np.random.RandomState(1))).convert("L"))
        cases["jpeg_quantizers_16bit.jpg"] = run("cjpeg", ["-quality", "5", "-grayscale", "-qtables", tables], pgm(noise))
    png = io.BytesIO()
    Image.fromarray(rgb).save(png, "PNG")
    data = png.getvalue()
    ihdr_end = 8 + 25
    iend = data.rfind(b"IEND") - 4
    hexed = (b"Exif\x00\x00" + six).hex().encode()
    gray_rows = crop(source_pictures()["gradient"], 11, 7, np.random.RandomState(2)).astype(np.int64)
    indices = np.random.RandomState(4).randint(0, 4, (7, 11, 1))
    cases.update({
        # A zlib stream that ends cleanly after a whole row: Pillow leaves the rest zero (palette index 0 here).
        "png_stream_ends_early_palette.png": png_raw(indices, 3, 8, palette=bytes(range(40, 52)), drop_rows=3),
        # A short gray or RGB tRNS: Pillow's 16-bit reads fail.
        "png_trns_rgb_short.png": png_raw(gray_rows, 2, 8, trns=b"\x00\x01\x00\x02"),
        "png_exif_with_exif_prefix.png": data[:ihdr_end] + chunk(b"eXIf", b"Exif\x00\x00" + six) + data[ihdr_end:],
        "png_raw_profile_bad_hex.png": data[:ihdr_end] + chunk(b"tEXt", b"Raw profile type exif\x00\nexif\n  10\n" + hexed[:19] + b"zz") + data[ihdr_end:],
        "png_chunk_cut_after_idat.png": data[:iend] + chunk(b"tEXt", b"Comment\x00cut off here")[:10],
    })
    return cases


def write_regressions(images_dir, decoded_dir):
    """Writes the regression files and Pillow's outcome for each (decoded pixels, or its error) to decoded_dir/index.json."""
    os.makedirs(images_dir, exist_ok=True)
    os.makedirs(decoded_dir, exist_ok=True)
    decoded, refused = [], []
    for name, data in sorted(regression_cases().items()):
        with open(os.path.join(images_dir, name), "wb") as f:
            f.write(data)
        try:
            rgb = pillow_decode(data)
        except Exception as error:  # noqa: BLE001 - Pillow's failure is the expectation
            message = re.sub(r" object at 0x[0-9a-f]+", "", f"{type(error).__name__}: {error}")
            refused.append({"name": name, "pillow_error": message})
            continue
        buffer = io.BytesIO()
        np.save(buffer, np.ascontiguousarray(rgb, dtype=np.uint8))
        with open(os.path.join(decoded_dir, name + ".rgb.npy.gz"), "wb") as raw:
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
                gz.write(buffer.getvalue())
        decoded.append({"name": name, "decoded": name + ".rgb.npy.gz", "width": int(rgb.shape[1]), "height": int(rgb.shape[0])})
    meta = {"pillow": Image.__version__, "reference": "ImageOps.exif_transpose(Image.open(f)).convert('RGB')",
            "images": decoded, "pillow_errors": refused}
    with open(os.path.join(decoded_dir, "index.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=1)
        f.write("\n")
    print(f"wrote {len(decoded)} decodable and {len(refused)} refused regression files to {images_dir}")


# ---------------------------------------------------------------- compare

def pillow_decode(data):
    image = Image.open(io.BytesIO(data))
    image = ImageOps.exif_transpose(image)
    return np.asarray(image.convert("RGB"))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="/tmp/decoder_sweep")
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies the number of generated files")
    parser.add_argument("--only", choices=["jpeg", "png", "extra", "bad"], default=None)
    parser.add_argument("--show", type=int, default=40, help="how many problem files to list")
    parser.add_argument("--reuse", action="store_true", help="compare the files already in --out without regenerating")
    parser.add_argument("--scalar", action="store_true", help="force the JPEG decoder's scalar (non-AVX2) paths")
    parser.add_argument("--runner", default=os.path.join(ROOT, "tests", "Embeddings.Benchmarks"))
    parser.add_argument("--write-regressions", action="store_true",
                        help="write the committed regression files (models/images/sweep) and their Pillow outcomes, then stop")
    args = parser.parse_args()
    if args.write_regressions:
        write_regressions(os.path.join(ROOT, "models", "images", "sweep"), os.path.join(ROOT, "models", "expected", "decoded", "sweep"))
        return 0

    files_dir = os.path.join(args.out, "files")
    lib_dir = os.path.join(args.out, "library")
    if not args.reuse:
        shutil.rmtree(args.out, ignore_errors=True)
        os.makedirs(files_dir)
        pictures = source_pictures()
        good = {}
        if args.only in (None, "jpeg", "bad"):
            good.update(jpeg_cases(pictures, args.scale, args.out))
        if args.only in (None, "png", "bad"):
            good.update(png_cases(pictures, args.scale))
        if args.only in (None, "extra"):
            good.update(extra_cases(pictures, args.scale))
        files = dict(good) if args.only != "bad" else {}
        if args.only in (None, "bad"):
            files.update(bad_cases(pictures, good))
        for name, data in files.items():
            with open(os.path.join(files_dir, name), "wb") as f:
                f.write(data)
        print(f"wrote {len(files)} files to {files_dir}")

    shutil.rmtree(lib_dir, ignore_errors=True)
    subprocess.run(["dotnet", "run", "-c", "Release", "--no-build", "--project", args.runner, "--",
                    "decode-dump", "--in", files_dir, "--out", lib_dir] + (["--scalar"] if args.scalar else []), check=True)
    results = {}
    with open(os.path.join(lib_dir, "results.tsv")) as f:
        for line in f:
            name, outcome, width, height, ms, message = line.rstrip("\n").split("\t", 5)
            results[name] = (outcome, int(width), int(height), float(ms), message)

    counts = Counter()
    problems = defaultdict(list)
    slow = []
    for name in sorted(os.listdir(files_dir)):
        with open(os.path.join(files_dir, name), "rb") as f:
            data = f.read()
        try:
            expected = pillow_decode(data)
            pillow_error = None
        except Exception as error:  # noqa: BLE001 - every Pillow failure is an outcome
            expected = None
            pillow_error = f"{type(error).__name__}: {error}"
        outcome, width, height, ms, message = results[name]
        if ms > 2000:
            slow.append((ms, name))
        if outcome == "ok":
            with open(os.path.join(lib_dir, name + ".rgb"), "rb") as f:
                raw = f.read()
            actual = np.frombuffer(raw[8:], np.uint8).reshape(height, width, 3)
            if expected is None:
                counts["library decodes, Pillow fails"] += 1
                problems["library decodes, Pillow fails"].append(f"{name}: Pillow {pillow_error}")
            elif expected.shape != actual.shape:
                counts["size differs"] += 1
                problems["size differs"].append(f"{name}: Pillow {expected.shape} library {actual.shape}")
            else:
                diff = np.abs(expected.astype(np.int16) - actual.astype(np.int16))
                worst = int(diff.max())
                if worst == 0:
                    counts["exact"] += 1
                else:
                    key = f"off by {worst}" if worst <= 2 else "off by >2"
                    counts[key] += 1
                    problems[key].append(f"{name}: {int((diff > 0).sum())} samples differ, max {worst}")
        else:
            if expected is None:
                counts[f"both fail ({outcome})"] += 1
            elif outcome == "InvalidDataException" and name.startswith("bad_") and not name.startswith("bad_trail"):
                # Pillow (libjpeg) decodes many damaged files with warnings; the library refuses them by design.
                counts["damaged: library refuses, Pillow decodes"] += 1
            else:
                key = f"library {outcome}, Pillow decodes"
                counts[key] += 1
                problems[key].append(f"{name}: {message}")

    total = sum(counts.values())
    print(f"\n{total} files")
    for key, value in sorted(counts.items(), key=lambda kv: -kv[1]):
        print(f"  {value:6d}  {key}")
    if slow:
        print("slow (library CPU > 2 s):", sorted(slow, reverse=True)[:10])
    for key, items in problems.items():
        print(f"\n== {key} ({len(items)})")
        for item in items[:args.show]:
            print("   ", item)
    ok = not any(k.startswith("off") or k.startswith("size") or "Pillow fails" in k or
                 ("Pillow decodes" in k and "NotSupported" not in k) for k in counts)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
