#!/usr/bin/python3
"""Pillow's side of the image side-by-side benchmark (issue 6): decode + preprocess to 224x224 as Hugging Face does.

Two modes, both from the repository root with Debian's /usr/bin/python3 (Pillow 9.4, numpy):

    /usr/bin/python3 bench/image_side_by_side.py make-data
        writes the test files into the git-ignored bench/data/ (deterministic; existing files are kept);
    /usr/bin/python3 bench/image_side_by_side.py serve
        a long-lived worker for the C# runner (`Embeddings.Benchmarks image-side-by-side`, started by
        `bench/side_by_side.sh --images`): one JSON command per stdin line, one JSON answer per stdout line, so the
        runner can alternate Pillow and the library repetition by repetition on the same files.

What is timed per repetition, single-threaded (Pillow's decoders and resampler do not use threads; numpy's
element-wise operations neither), with wall time (perf_counter) and this thread's CPU time (thread_time):
    decode     Image.open(path) + load()                 (libjpeg-turbo / zlib inside Pillow)
    convert    ImageOps.exif_transpose + convert("RGB")  (what transformers' image_utils.load_image adds)
    resize     Image.resize((w, h), resample, reducing_gap=None) (transformers' image_transforms.resize)
    normalize  numpy: center crop (CLIP), rescale float64 -> float32, normalize float32, HWC -> contiguous CHW
This is the lean form of transformers' slow ViTImageProcessor / CLIPImageProcessor: it skips the numpy round trip
transformers makes around the resize (to_numpy_array, then PIL.Image.fromarray inside resize), so Pillow is timed
at its fastest for the same output. The `pixels` command checks that the output equals the step-by-step mirror of
transformers in models/scripts/image_processing.py.
"""
import json
import pathlib
import platform
import sys
import time

import numpy as np
import PIL
from PIL import Image, ImageOps, features

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "models" / "scripts"))

import image_processing  # noqa: E402  (the repository's independent mirror of transformers' slow processors)
import make_photo  # noqa: E402

# name: (description, size, how it is saved)
FILES = {
    "photo-1500x1000.jpg": ("1.5 MP JPEG, baseline 4:2:0, q90 (bench/make_photo.py)", (1500, 1000), None),
    "photo-1500x1000-444.jpg": ("1.5 MP JPEG, baseline 4:4:4, q90", (1500, 1000), dict(quality=90, subsampling="4:4:4")),
    "photo-1500x1000-progressive.jpg": ("1.5 MP JPEG, progressive 4:2:0, q90", (1500, 1000),
                                        dict(quality=90, subsampling="4:2:0", progressive=True)),
    "photo-1000x1500-exif6.jpg": ("1.5 MP JPEG, 4:2:0, q90, stored 1500x1000 with EXIF orientation 6 (portrait)",
                                  (1500, 1000), dict(quality=90, subsampling="4:2:0", exif=6)),
    "photo-1732x1155.jpg": ("2.0 MP JPEG, baseline 4:2:0, q90", (1732, 1155), dict(quality=90, subsampling="4:2:0")),
    "photo-1500x1000.png": ("1.5 MP PNG, RGB 8-bit, Pillow's default zlib level", (1500, 1000), dict(png=True)),
}


def make_data():
    DATA.mkdir(parents=True, exist_ok=True)
    if not make_photo.OUT.exists():
        make_photo.main()
    photos = {}
    for name, (_, size, options) in FILES.items():
        path = DATA / name
        if options is None or path.exists():
            continue
        if size not in photos:
            photos[size] = make_photo.photo(size)[0]
        image = photos[size]
        options = dict(options)
        if options.pop("png", False):
            image.save(path, "PNG")
        else:
            orientation = options.pop("exif", None)
            if orientation is not None:
                exif = Image.Exif()
                exif[0x0112] = orientation
                options["exif"] = exif.tobytes()
            image.save(path, "JPEG", **options)
        print(f"{path}: {image.size[0]}x{image.size[1]}, {path.stat().st_size} bytes")


class Plan:
    """The resize size, crop and rescale/normalize constants one preprocessor_config.json asks for."""

    def __init__(self, config_path):
        config = json.loads(pathlib.Path(config_path).read_text())
        self.name = image_processing.processor_type(config)
        if self.name not in ("ViTImageProcessor", "CLIPImageProcessor", "BitImageProcessor"):
            raise ValueError(f"{config_path}: {self.name} is not timed by this benchmark")
        defaults, square = image_processing.PROCESSOR_DEFAULTS[self.name]
        settings = dict(defaults)
        settings.update({key: value for key, value in config.items() if key in defaults})
        if not (settings["do_resize"] and settings["do_rescale"] and settings["do_normalize"]):
            raise ValueError(f"{config_path}: expected resize, rescale and normalize all on")
        self.config = config
        self.size = image_processing.get_size_dict(settings["size"], default_to_square=square)
        self.resample = settings["resample"]
        self.factor = settings["rescale_factor"]
        self.mean = settings["image_mean"]
        self.std = settings["image_std"]
        self.crop = None
        if settings.get("do_center_crop", False):
            crop = image_processing.get_size_dict(settings["crop_size"], default_to_square=True)
            self.crop = (crop["height"], crop["width"])

    def resized(self, width, height):
        if "shortest_edge" in self.size:
            return image_processing.get_resize_output_image_size(height, width, self.size["shortest_edge"], False)
        return self.size["height"], self.size["width"]


def run(path, plan, stamps):
    """The lean Pillow pipeline; appends (wall, cpu) after each stage to `stamps` and returns CHW float32."""
    stamps.append((time.perf_counter(), time.thread_time()))
    image = Image.open(path)
    image.load()
    stamps.append((time.perf_counter(), time.thread_time()))
    image = ImageOps.exif_transpose(image).convert("RGB")
    stamps.append((time.perf_counter(), time.thread_time()))
    height, width = plan.resized(image.width, image.height)
    image = image.resize((width, height), resample=plan.resample, reducing_gap=None)
    stamps.append((time.perf_counter(), time.thread_time()))
    array = np.asarray(image)
    if plan.crop is not None:
        array = image_processing.center_crop(array, plan.crop)
    array = image_processing.normalize(image_processing.rescale(array, plan.factor), plan.mean, plan.std)
    pixels = np.ascontiguousarray(array.transpose(2, 0, 1))
    stamps.append((time.perf_counter(), time.thread_time()))
    return pixels


def reference(path, plan):
    """transformers step by step: load_image, then the slow processor's preprocess (models/scripts/image_processing.py)."""
    with Image.open(path) as image:
        rgb = np.array(ImageOps.exif_transpose(image).convert("RGB"))
    return image_processing.preprocess(rgb, plan.config)


def info():
    return {
        "python": platform.python_version(),
        "pillow": PIL.__version__,
        "numpy": np.__version__,
        "libjpeg_turbo": features.version("jpg"),
        "zlib": features.version("zlib"),
        "files": [{"name": name, "path": str(DATA / name), "description": description}
                  for name, (description, _, _) in FILES.items()],
    }


def serve():
    plans = {}
    for line in sys.stdin:
        command = json.loads(line)
        kind = command["cmd"]
        try:
            if kind == "info":
                answer = info()
            elif kind == "quit":
                return
            else:
                config = command["config"]
                if config not in plans:
                    plans[config] = Plan(config)
                plan = plans[config]
                if kind == "time":
                    samples = []
                    for _ in range(command["reps"]):
                        stamps = []
                        run(command["file"], plan, stamps)
                        samples.append([[b[0] - a[0], b[1] - a[1]] for a, b in zip(stamps, stamps[1:])])
                    answer = {"samples": samples}
                elif kind == "pixels":
                    pixels = run(command["file"], plan, [])
                    expected = reference(command["file"], plan)
                    pixels.astype("<f4").tofile(command["out"])
                    answer = {"shape": list(pixels.shape),
                              "reference_max_abs_diff": float(np.max(np.abs(pixels - expected)))}
                else:
                    raise ValueError(f"unknown command {kind}")
        except Exception as error:  # reported to the runner, which stops with the message
            answer = {"error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "make-data":
        make_data()
    elif mode == "serve":
        serve()
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
