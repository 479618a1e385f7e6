#!/usr/bin/python3
"""Writes bench/data/photo-1500x1000.jpg, the ~1.5 MP JPEG the image benchmarks decode and preprocess to 224x224.

A real photograph when one is installed (scikit-learn's sample image china.jpg, 640x427), upscaled with Lanczos
to 1500x1000 and given mild sensor-like grain so the entropy-coded data is as dense as a camera JPEG's; otherwise a
procedural scene (gradients, Mandelbrot detail, grain). Saved by Pillow at quality 90 with 4:2:0 chroma subsampling,
the common camera/web setting. The file is generated (git-ignored), not committed:
    /usr/bin/python3 bench/make_photo.py
bench/image_side_by_side.py imports photo() to derive its other test files (4:4:4, progressive, 2 MP, PNG) the same way.
"""
import pathlib
import random

from PIL import Image, ImageChops

DATA = pathlib.Path(__file__).resolve().parent / "data"
OUT = DATA / "photo-1500x1000.jpg"
SIZE = (1500, 1000)
SOURCES = [
    "/usr/lib/python3/dist-packages/sklearn/datasets/images/china.jpg",
    "/usr/local/lib/python3/dist-packages/sklearn/datasets/images/china.jpg",
]


def base_image(size=SIZE):
    for source in SOURCES:
        if pathlib.Path(source).exists():
            return Image.open(source).convert("RGB").resize(size, Image.LANCZOS), source
    mandel = Image.effect_mandelbrot(size, (-2.2, -1.2, 1.0, 1.2), 200)
    gradient = Image.linear_gradient("L").resize(size)
    return Image.merge("RGB", (mandel, gradient, ImageChops.invert(gradient))), "procedural"


def photo(size=SIZE, seed=7):
    """The RGB scene at `size` with deterministic grain; returns (image, source description)."""
    image, source = base_image(size)
    rng = random.Random(seed)
    grain = Image.frombytes("L", size, bytes(rng.randrange(121, 136) for _ in range(size[0] * size[1])))
    return ImageChops.add(image, Image.merge("RGB", (grain, grain, grain)), scale=1.0, offset=-128), source


def main():
    image, source = photo()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    image.save(OUT, "JPEG", quality=90, subsampling="4:2:0")
    print(f"{OUT}: {image.size[0]}x{image.size[1]}, {OUT.stat().st_size} bytes, from {source}")


if __name__ == "__main__":
    main()
