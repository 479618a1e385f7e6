#!/usr/bin/python3
"""Independent reference for Hugging Face image preprocessing (slow, PIL-based image processors).

Mirrors, step for step, what transformers' ViTImageProcessor, CLIPImageProcessor, BitImageProcessor (DINOv2), BEiT, SigLIP,
ConvNextImageProcessor and DeiTImageProcessor do in `preprocess` for an 8-bit RGB image:

    to_numpy_array -> resize (numpy uint8 -> PIL.Image.fromarray -> Image.resize(reducing_gap=None) -> np.array)
    -> center_crop (numpy slicing, zero padding when the crop is larger) -> rescale (float64 multiply -> float32)
    -> normalize (float32 (x - mean) / std) -> channels first.

transformers itself cannot be installed on the build machine, so its code paths (image_transforms.resize,
center_crop, rescale, normalize, get_resize_output_image_size, image_processing_utils.get_size_dict and each
processor's resize/preprocess) are reproduced here with Pillow + numpy only. This file never imports the C# code and
computes nothing with it: it is the ground truth the C# tests compare against.

Requirements: Debian's /usr/bin/python3 with Pillow 9.4.0 and numpy 1.24 (apt: python3-pil python3-numpy).

Usage (from the repository root):
    /usr/bin/python3 models/scripts/image_processing.py
        regenerates tests/data/imaging/{preprocess_inputs,resize,pixel_values} (deterministic, byte-identical);
    /usr/bin/python3 models/scripts/image_processing.py IMAGES_DIR MODELS_DIR EXPECTED_DIR
        runs write_expectations: every image (.npy/.npy.gz uint8 [H, W, 3], or a file Pillow opens, converted to RGB)
        through every `MODELS_DIR/<name>/preprocessor_config.json` (or `MODELS_DIR/<name>.json`), written as
        EXPECTED_DIR/pixel_values/<name>/<image>.npy.gz, float32 [3, H, W].
"""

import gzip
import io
import json
import math
import os
import sys

import numpy as np
from PIL import Image

IMAGENET_DEFAULT_MEAN = [0.485, 0.456, 0.406]
IMAGENET_DEFAULT_STD = [0.229, 0.224, 0.225]
IMAGENET_STANDARD_MEAN = [0.5, 0.5, 0.5]
IMAGENET_STANDARD_STD = [0.5, 0.5, 0.5]
OPENAI_CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
OPENAI_CLIP_STD = [0.26862954, 0.26130258, 0.27577711]

# Constructor defaults of each slow processor: (defaults, size_default_to_square).
PROCESSOR_DEFAULTS = {
    "ViTImageProcessor": (dict(do_resize=True, size={"height": 224, "width": 224}, resample=2, do_rescale=True, rescale_factor=1 / 255, do_normalize=True,
                               image_mean=IMAGENET_STANDARD_MEAN, image_std=IMAGENET_STANDARD_STD), True),
    "CLIPImageProcessor": (dict(do_resize=True, size={"shortest_edge": 224}, resample=3, do_center_crop=True,
                                crop_size={"height": 224, "width": 224}, do_rescale=True, rescale_factor=1 / 255,
                                do_normalize=True, image_mean=OPENAI_CLIP_MEAN, image_std=OPENAI_CLIP_STD), False),
    "BitImageProcessor": (dict(do_resize=True, size={"shortest_edge": 224}, resample=3, do_center_crop=True,
                               crop_size={"height": 224, "width": 224}, do_rescale=True, rescale_factor=1 / 255,
                               do_normalize=True, image_mean=OPENAI_CLIP_MEAN, image_std=OPENAI_CLIP_STD), False),
    # transformers' ConvNextImageProcessor.__init__ defaults to BICUBIC (resample=3); older releases said BILINEAR.
    "ConvNextImageProcessor": (dict(do_resize=True, size={"shortest_edge": 384}, crop_pct=224 / 256, resample=3,
                                    do_rescale=True, rescale_factor=1 / 255, do_normalize=True,
                                    image_mean=IMAGENET_STANDARD_MEAN, image_std=IMAGENET_STANDARD_STD), False),
    # DeiTImageProcessor.__init__ falls back to IMAGENET_STANDARD_MEAN/STD (0.5), not the ImageNet statistics.
    "DeiTImageProcessor": (dict(do_resize=True, size={"height": 256, "width": 256}, resample=3, do_center_crop=True,
                                crop_size={"height": 224, "width": 224}, do_rescale=True, rescale_factor=1 / 255,
                                do_normalize=True, image_mean=IMAGENET_STANDARD_MEAN, image_std=IMAGENET_STANDARD_STD),
                           True),
    # BeitImageProcessor (also Data2VecVision's): DeiT's steps with the standard 0.5 statistics.
    "BeitImageProcessor": (dict(do_resize=True, size={"height": 256, "width": 256}, resample=3, do_center_crop=True,
                                crop_size={"height": 224, "width": 224}, do_rescale=True, rescale_factor=1 / 255,
                                do_normalize=True, image_mean=IMAGENET_STANDARD_MEAN, image_std=IMAGENET_STANDARD_STD),
                           True),
    # SiglipImageProcessor: fixed-size resize, no crop; its preprocess reads size["height"], size["width"].
    "SiglipImageProcessor": (dict(do_resize=True, size={"height": 224, "width": 224}, resample=3, do_rescale=True,
                                  rescale_factor=1 / 255, do_normalize=True, image_mean=IMAGENET_STANDARD_MEAN,
                                  image_std=IMAGENET_STANDARD_STD), False),
}

# image_processing_utils.VALID_SIZE_DICT_KEYS: the key sets get_size_dict accepts.
VALID_SIZE_DICT_KEYS = ({"height", "width"}, {"shortest_edge"}, {"shortest_edge", "longest_edge"}, {"longest_edge"},
                        {"max_height", "max_width"})


# ---------------------------------------------------------------------------------------------------------------------
# transformers.image_processing_utils / image_transforms, reproduced
# ---------------------------------------------------------------------------------------------------------------------

def get_size_dict(size, default_to_square=True):
    """image_processing_utils.get_size_dict with height_width_order=True (convert_to_size_dict, is_valid_size_dict)."""
    if isinstance(size, dict):
        size_dict = dict(size)
    elif isinstance(size, int) and default_to_square:
        size_dict = {"height": size, "width": size}
    elif isinstance(size, int):
        size_dict = {"shortest_edge": size}
    elif isinstance(size, (tuple, list)):
        size_dict = {"height": size[0], "width": size[1]}
    else:
        raise ValueError(f"Could not convert size input to size dict: {size!r}")
    if set(size_dict.keys()) not in [set(keys) for keys in VALID_SIZE_DICT_KEYS]:
        raise ValueError(f"size must have one of the following set of keys: {VALID_SIZE_DICT_KEYS}, got {size_dict.keys()}")
    return size_dict


def get_resize_output_image_size(height, width, size, default_to_square):
    if isinstance(size, (tuple, list)):
        return tuple(size)
    if default_to_square:
        return (size, size)
    short, long = (width, height) if width <= height else (height, width)
    new_short, new_long = size, int(size * long / short)
    return (new_long, new_short) if width <= height else (new_short, new_long)


def resize(image, size, resample):
    """image_transforms.resize for a uint8 HWC array: no rescale for PIL, Pillow resize, back to numpy."""
    assert image.dtype == np.uint8
    height, width = size
    pil = Image.fromarray(image)
    return np.array(pil.resize((width, height), resample=resample, reducing_gap=None))


def center_crop(image, size):
    """image_transforms.center_crop on an HWC array (HF moves channels first, slices, moves them back)."""
    image = image.transpose(2, 0, 1)
    orig_height, orig_width = image.shape[1], image.shape[2]
    crop_height, crop_width = int(size[0]), int(size[1])
    top = (orig_height - crop_height) // 2
    bottom = top + crop_height
    left = (orig_width - crop_width) // 2
    right = left + crop_width
    if top >= 0 and bottom <= orig_height and left >= 0 and right <= orig_width:
        return image[..., top:bottom, left:right].transpose(1, 2, 0)
    new_height = max(crop_height, orig_height)
    new_width = max(crop_width, orig_width)
    new_image = np.zeros_like(image, shape=image.shape[:-2] + (new_height, new_width))
    top_pad = math.ceil((new_height - orig_height) / 2)
    bottom_pad = top_pad + orig_height
    left_pad = math.ceil((new_width - orig_width) / 2)
    right_pad = left_pad + orig_width
    new_image[..., top_pad:bottom_pad, left_pad:right_pad] = image
    top += top_pad
    bottom += top_pad
    left += left_pad
    right += left_pad
    new_image = new_image[..., max(0, top):min(new_height, bottom), max(0, left):min(new_width, right)]
    return new_image.transpose(1, 2, 0)


def rescale(image, scale):
    return (image.astype(np.float64) * scale).astype(np.float32)


def normalize(image, mean, std):
    if not np.issubdtype(image.dtype, np.floating):
        image = image.astype(np.float32)
    mean = np.array(mean if isinstance(mean, (list, tuple)) else [mean] * 3, dtype=image.dtype)
    std = np.array(std if isinstance(std, (list, tuple)) else [std] * 3, dtype=image.dtype)
    return (image - mean) / std


# ---------------------------------------------------------------------------------------------------------------------
# Processors
# ---------------------------------------------------------------------------------------------------------------------

# models/auto/image_processing_auto.py IMAGE_PROCESSOR_MAPPING_NAMES, the entries whose processor is mirrored here.
MODEL_TYPE_PROCESSORS = {
    **dict.fromkeys(["vit", "vit_mae", "vit_msn", "swin", "swinv2", "dinat", "nat", "clipseg", "swiftformer", "mgp-str"],
                    "ViTImageProcessor"),
    "deit": "DeiTImageProcessor",
    **dict.fromkeys(["clip", "groupvit", "xclip", "git", "kosmos-2"], "CLIPImageProcessor"),
    **dict.fromkeys(["dinov2", "dinov2_with_registers", "bit", "focalnet"], "BitImageProcessor"),
    **dict.fromkeys(["convnext", "convnextv2", "cvt", "regnet", "resnet", "van"], "ConvNextImageProcessor"),
    **dict.fromkeys(["beit", "data2vec-vision"], "BeitImageProcessor"),
    "siglip": "SiglipImageProcessor",
}


def processor_type(config, model_type=None):
    """AutoImageProcessor.from_pretrained: image_processor_type, else feature_extractor_type, else config.json's model_type."""
    name = config.get("image_processor_type")
    if name is None and "AutoImageProcessor" in (config.get("auto_map") or {}):
        raise ValueError("custom image processor code (auto_map)")
    if name is None:
        name = config.get("feature_extractor_type")
        if name is not None:
            name = name.replace("FeatureExtractor", "ImageProcessor")
    if name is None and model_type is not None:
        name = MODEL_TYPE_PROCESSORS.get(model_type)
    if name is None:
        raise ValueError("config names no image_processor_type")
    if name.endswith("ImageProcessorFast"):
        name = name[: -len("Fast")]
    if name.endswith("ImageProcessorPil"):
        name = name[: -len("Pil")]
    if name not in PROCESSOR_DEFAULTS:
        raise ValueError(f"unsupported processor {name}")
    return name


def preprocess(image, config, model_type=None):
    """Returns float32 [3, H, W] pixel values for a uint8 [H, W, 3] image, as the named slow processor does."""
    name = processor_type(config, model_type)
    defaults, square = PROCESSOR_DEFAULTS[name]
    settings = dict(defaults)
    # Keys a processor does not take (ViT has no center crop) are ignored, as the processor's preprocess ignores them.
    settings.update({key: value for key, value in config.items() if key in defaults})
    size = get_size_dict(settings["size"], default_to_square=square)
    if name == "CLIPImageProcessor" and config.get("use_square_size") and "shortest_edge" in size:
        # CLIPImageProcessor.__init__, kept for KOSMOS-2 configs.
        size = {"height": size["shortest_edge"], "width": size["shortest_edge"]}
    image = np.asarray(image, dtype=np.uint8)
    if settings["do_resize"]:
        if name == "ConvNextImageProcessor":
            if "shortest_edge" not in size:
                raise ValueError(f"Size dictionary must contain 'shortest_edge' key. Got {size.keys()}")
            shortest_edge = size["shortest_edge"]
            if shortest_edge < 384:
                resize_shortest_edge = int(shortest_edge / settings["crop_pct"])
                output = get_resize_output_image_size(image.shape[0], image.shape[1], resize_shortest_edge, False)
                image = resize(image, output, settings["resample"])
                image = center_crop(image, (shortest_edge, shortest_edge))
            else:
                image = resize(image, (shortest_edge, shortest_edge), settings["resample"])
        elif name in ("CLIPImageProcessor", "BitImageProcessor"):
            # Their resize: shortest_edge wins (a longest_edge beside it is ignored), else height and width.
            if "shortest_edge" in size:
                output = get_resize_output_image_size(image.shape[0], image.shape[1], size["shortest_edge"], False)
            elif "height" in size and "width" in size:
                output = (size["height"], size["width"])
            else:
                raise ValueError("Size must contain either 'shortest_edge' or 'height' and 'width'.")
            image = resize(image, output, settings["resample"])
        else:
            # ViT, DeiT, BEiT and SigLIP resize to size["height"], size["width"] (KeyError/ValueError without them).
            if "height" not in size or "width" not in size:
                raise ValueError(f"The size dictionary must contain the keys 'height' and 'width'. Got {size.keys()}")
            image = resize(image, (size["height"], size["width"]), settings["resample"])
    if settings.get("do_center_crop", False):
        crop = get_size_dict(settings["crop_size"], default_to_square=True)
        image = center_crop(image, (crop["height"], crop["width"]))
    if settings["do_rescale"]:
        image = rescale(image, settings["rescale_factor"])
    if settings["do_normalize"]:
        image = normalize(image, settings["image_mean"], settings["image_std"])
    return np.ascontiguousarray(image.transpose(2, 0, 1)).astype(np.float32, copy=False)


# ---------------------------------------------------------------------------------------------------------------------
# Test data
# ---------------------------------------------------------------------------------------------------------------------

def save_npy_gz(path, array):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    buffer = io.BytesIO()
    np.save(buffer, np.ascontiguousarray(array), allow_pickle=False)
    with gzip.GzipFile(path, "wb", compresslevel=9, mtime=0) as handle:
        handle.write(buffer.getvalue())


def load_image(path):
    if path.endswith(".npy.gz"):
        with gzip.open(path, "rb") as handle:
            return np.load(io.BytesIO(handle.read()), allow_pickle=False)
    if path.endswith(".npy"):
        return np.load(path, allow_pickle=False)
    with Image.open(path) as image:
        return np.array(image.convert("RGB"))


def image_name(file_name):
    for suffix in (".npy.gz", ".npy"):
        if file_name.endswith(suffix):
            return file_name[: -len(suffix)]
    return os.path.splitext(file_name)[0]


def photo_like(width, height, seed):
    """A deterministic synthetic photograph: smooth shading, a few hard-edged shapes, texture and sensor noise."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    u, v = x / max(width - 1, 1), y / max(height - 1, 1)
    channels = []
    for channel in range(3):
        phase = rng.uniform(0, 2 * np.pi, 3)
        value = (90 + 70 * u * (channel + 1) / 3 + 60 * v
                 + 35 * np.sin(2 * np.pi * (u * rng.uniform(0.5, 3) + phase[0]))
                 * np.cos(2 * np.pi * (v * rng.uniform(0.5, 3) + phase[1]))
                 + 12 * np.sin(x * rng.uniform(0.2, 0.9) + y * rng.uniform(0.1, 0.7) + phase[2]))
        channels.append(value)
    image = np.stack(channels, axis=-1)
    for _ in range(4):
        cx, cy = rng.uniform(0, width), rng.uniform(0, height)
        radius = rng.uniform(0.1, 0.4) * min(width, height) + 1
        mask = (x - cx) ** 2 + (y - cy) ** 2 < radius ** 2
        image[mask] = rng.uniform(0, 255, 3)
    x0, x1 = sorted(rng.integers(0, width, 2))
    image[:, x0:x1 + 1] = image[:, x0:x1 + 1] * 0.35 + 255 * 0.65 * (rng.uniform() > 0.5)
    image += rng.normal(0, 6, image.shape)
    return np.clip(np.rint(image), 0, 255).astype(np.uint8)


# (name, width, height): downscale, odd-sized portrait, upscale, identity for ViT, extreme aspect ratios, one pixel.
INPUTS = [
    ("landscape_512x384", 512, 384),
    ("portrait_333x517", 333, 517),
    ("small_97x61", 97, 61),
    ("square_224x224", 224, 224),
    ("strip_1000x50", 1000, 50),
    ("sliver_7x300", 7, 300),
    ("one_1x1", 1, 1),
    ("row_500x1", 500, 1),
    ("column_1x500", 1, 500),
]

# (input, output width, output height) pinned per filter: upscale, downscale with different ratios, down + up.
RESIZE_CASES = [
    ("small_97x61", 160, 100),
    ("portrait_333x517", 101, 157),
    ("strip_1000x50", 64, 80),
    ("sliver_7x300", 31, 29),
]

FILTERS = {"nearest": 0, "lanczos": 1, "bilinear": 2, "bicubic": 3, "box": 4, "hamming": 5}


def write_inputs(inputs_dir):
    for index, (name, width, height) in enumerate(INPUTS):
        save_npy_gz(os.path.join(inputs_dir, name + ".npy.gz"), photo_like(width, height, 1000 + index))


def write_resize_expectations(inputs_dir, resize_dir):
    """uint8 [H, W, 3] results of Pillow's Image.resize for every filter: pins the resampler bit for bit."""
    for name, width, height in RESIZE_CASES:
        image = Image.fromarray(load_image(os.path.join(inputs_dir, name + ".npy.gz")))
        for filter_name, filter_id in FILTERS.items():
            resized = np.array(image.resize((width, height), resample=filter_id, reducing_gap=None))
            save_npy_gz(os.path.join(resize_dir, f"{name}_{width}x{height}_{filter_name}.npy.gz"), resized)


def find_configs(models_dir):
    """`<name>/preprocessor_config.json` model folders, or `<name>.json` files, in models_dir."""
    configs = {}
    for entry in sorted(os.listdir(models_dir)):
        path = os.path.join(models_dir, entry)
        nested = os.path.join(path, "preprocessor_config.json")
        if os.path.isdir(path) and os.path.isfile(nested):
            configs[entry] = nested
        elif entry.endswith(".json") and os.path.isfile(path):
            configs[entry[: -len(".json")]] = path
    return configs


def write_expectations(images_dir, models_dir, expected_dir):
    """Writes expected_dir/pixel_values/<config>/<image>.npy.gz (float32 [3, H, W]) for every image and config."""
    written = []
    for config_name, config_path in find_configs(models_dir).items():
        with open(config_path, "r", encoding="utf-8") as handle:
            config = json.load(handle)
        for file_name in sorted(os.listdir(images_dir)):
            if not file_name.endswith((".npy", ".npy.gz", ".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp")):
                continue
            pixels = preprocess(load_image(os.path.join(images_dir, file_name)), config)
            target = os.path.join(expected_dir, "pixel_values", config_name, image_name(file_name) + ".npy.gz")
            save_npy_gz(target, pixels)
            written.append(target)
    return written


def main():
    if len(sys.argv) == 4:
        written = write_expectations(sys.argv[1], sys.argv[2], sys.argv[3])
        print(f"wrote {len(written)} pixel_values files")
        return 0
    if len(sys.argv) != 1:
        print("usage: image_processing.py [IMAGES_DIR MODELS_DIR EXPECTED_DIR]", file=sys.stderr)
        return 2
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    data = os.path.join(root, "tests", "data", "imaging")
    inputs_dir = os.path.join(data, "preprocess_inputs")
    write_inputs(inputs_dir)
    write_resize_expectations(inputs_dir, os.path.join(data, "resize"))
    written = write_expectations(inputs_dir, os.path.join(data, "preprocessor_configs"), data)
    print(f"wrote {len(INPUTS)} inputs, {len(RESIZE_CASES) * len(FILTERS)} resize and {len(written)} pixel_values files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
