#!/usr/bin/python3
"""Sweep: real-world preprocessor_config.json files x edge-case images, the CLI against the Python reference.

Every config below is written as the popular Hugging Face repository ships it (legacy *FeatureExtractor names, int
sizes, crop_pct, ...). Every image is a PNG written here (lossless, so only preprocessing is compared): extreme aspect
ratios, 1-pixel images, crops larger than the resized image, gray, RGBA and palette modes. For each (config, image)
the script runs `embeddings preprocess-image --model DIR FILE` and compares its pixel_values with
`image_processing.preprocess` (numpy + Pillow, transformers' slow processors reproduced step by step). Configs whose
processor the library does not support must fail with a message naming the processor class and the file.

Usage (from the repository root, after `dotnet build src/Embeddings.Cli -c Release`):
    /usr/bin/python3 models/scripts/preprocess_sweep.py [--cli PATH_TO_Embeddings.Cli.dll] [--keep DIR]
Exit code 0 when every case matches within 1e-6 (and every unsupported config is refused clearly), 1 otherwise.
"""

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import image_processing  # noqa: E402

OPENAI_MEAN, OPENAI_STD = image_processing.OPENAI_CLIP_MEAN, image_processing.OPENAI_CLIP_STD
IMAGENET_MEAN, IMAGENET_STD = image_processing.IMAGENET_DEFAULT_MEAN, image_processing.IMAGENET_DEFAULT_STD
HALF = image_processing.IMAGENET_STANDARD_MEAN

# name -> preprocessor_config.json as published (from memory of the repositories and transformers' save format).
CONFIGS = {
    "google--vit-base-patch16-224": {
        "do_normalize": True, "do_resize": True, "feature_extractor_type": "ViTFeatureExtractor",
        "image_mean": HALF, "image_std": HALF, "resample": 2, "size": 224},
    "google--vit-base-patch16-224-in21k": {
        "do_normalize": True, "do_rescale": True, "do_resize": True, "image_mean": HALF,
        "image_processor_type": "ViTImageProcessor", "image_std": HALF, "resample": 2,
        "rescale_factor": 0.00392156862745098, "size": {"height": 224, "width": 224}},
    "openai--clip-vit-base-patch32": {
        "crop_size": 224, "do_center_crop": True, "do_normalize": True, "do_resize": True,
        "feature_extractor_type": "CLIPFeatureExtractor", "image_mean": OPENAI_MEAN, "image_std": OPENAI_STD,
        "resample": 3, "size": 224},
    "openai--clip-vit-large-patch14-336": {
        "crop_size": 336, "do_center_crop": True, "do_normalize": True, "do_resize": True,
        "feature_extractor_type": "CLIPFeatureExtractor", "image_mean": OPENAI_MEAN, "image_std": OPENAI_STD,
        "resample": 3, "size": 336},
    "laion--CLIP-ViT-B-32-laion2B-s34B-b79K": {
        "crop_size": {"height": 224, "width": 224}, "do_center_crop": True, "do_convert_rgb": True,
        "do_normalize": True, "do_rescale": True, "do_resize": True, "image_mean": OPENAI_MEAN,
        "image_processor_type": "CLIPImageProcessor", "image_std": OPENAI_STD, "resample": 3,
        "rescale_factor": 0.00392156862745098, "size": {"shortest_edge": 224}},
    "nomic-ai--nomic-embed-vision-v1.5": {
        "crop_size": {"height": 224, "width": 224}, "do_center_crop": True, "do_convert_rgb": True,
        "do_normalize": True, "do_rescale": True, "do_resize": True, "image_mean": OPENAI_MEAN,
        "image_processor_type": "CLIPImageProcessor", "image_std": OPENAI_STD, "processor_class": "CLIPProcessor",
        "resample": 3, "rescale_factor": 0.00392156862745098, "size": {"shortest_edge": 224}},
    "clip-shortest-and-longest-edge": {
        "image_processor_type": "CLIPImageProcessor", "size": {"shortest_edge": 224, "longest_edge": 1333},
        "crop_size": {"height": 224, "width": 224}},
    "clip-height-width": {
        "image_processor_type": "CLIPImageProcessorFast", "size": {"height": 200, "width": 260},
        "crop_size": {"height": 224, "width": 224}, "resample": 2},
    "kosmos2-use-square-size": {
        "image_processor_type": "CLIPImageProcessor", "size": {"shortest_edge": 224}, "use_square_size": True,
        "crop_size": {"height": 224, "width": 224}},
    "google--siglip-base-patch16-224": {
        "do_normalize": True, "do_rescale": True, "do_resize": True, "image_mean": HALF,
        "image_processor_type": "SiglipImageProcessor", "image_std": HALF, "processor_class": "SiglipProcessor",
        "resample": 3, "rescale_factor": 0.00392156862745098, "size": {"height": 224, "width": 224}},
    "facebook--dinov2-small": {
        "crop_size": {"height": 224, "width": 224}, "do_center_crop": True, "do_convert_rgb": True,
        "do_normalize": True, "do_rescale": True, "do_resize": True, "image_mean": IMAGENET_MEAN,
        "image_processor_type": "BitImageProcessor", "image_std": IMAGENET_STD, "resample": 3,
        "rescale_factor": 0.00392156862745098, "size": {"shortest_edge": 256}},
    "facebook--deit-base-distilled-patch16-224": {
        "crop_size": 224, "do_center_crop": True, "do_normalize": True, "do_resize": True,
        "feature_extractor_type": "DeiTFeatureExtractor", "image_mean": IMAGENET_MEAN, "image_std": IMAGENET_STD,
        "resample": 3, "size": 256},
    "facebook--convnext-tiny-224": {
        "crop_pct": 0.875, "do_normalize": True, "do_resize": True,
        "feature_extractor_type": "ConvNextFeatureExtractor", "image_mean": IMAGENET_MEAN,
        "image_std": IMAGENET_STD, "resample": 3, "size": 224},
    "facebook--convnext-large-384": {
        "crop_pct": None, "do_normalize": True, "do_resize": True,
        "image_processor_type": "ConvNextImageProcessor", "image_mean": IMAGENET_MEAN, "image_std": IMAGENET_STD,
        "resample": 3, "size": {"shortest_edge": 384}},
    "microsoft--resnet-50": {
        "crop_pct": 0.875, "do_normalize": True, "do_resize": True,
        "feature_extractor_type": "ConvNextFeatureExtractor", "image_mean": IMAGENET_MEAN,
        "image_std": IMAGENET_STD, "resample": 3, "size": 224},
    "convnext-defaults": {"image_processor_type": "ConvNextImageProcessor", "size": {"shortest_edge": 224}},
    "microsoft--beit-base-patch16-224": {
        "crop_size": 224, "do_center_crop": False, "do_normalize": True, "do_resize": True,
        "feature_extractor_type": "BeitFeatureExtractor", "image_mean": HALF, "image_std": HALF,
        "reduce_labels": False, "resample": 2, "size": 224},
    "facebook--data2vec-vision-base-ft1k": {
        "crop_size": 224, "do_center_crop": False, "do_normalize": True, "do_resize": True,
        "feature_extractor_type": "BeitFeatureExtractor", "image_mean": HALF, "image_std": HALF,
        "reduce_labels": False, "resample": 2, "size": 224},
    "beit-defaults": {"image_processor_type": "BeitImageProcessor"},
    "microsoft--swin-tiny-patch4-window7-224": {
        "do_normalize": True, "do_resize": True, "feature_extractor_type": "ViTFeatureExtractor",
        "image_mean": IMAGENET_MEAN, "image_std": IMAGENET_STD, "resample": 3, "size": 224},
    "facebook--dino-vits16": {
        "do_normalize": True, "do_resize": True, "feature_extractor_type": "ViTFeatureExtractor",
        "image_mean": IMAGENET_MEAN, "image_std": IMAGENET_STD, "resample": 3, "size": 224},
    "deit-crop-larger-than-resize": {
        "image_processor_type": "DeiTImageProcessor", "size": {"height": 100, "width": 150}, "crop_size": 224,
        "resample": 1},
    "vit-scalar-mean-no-rescale": {
        "image_processor_type": "ViTImageProcessor", "size": [120, 90], "do_rescale": False,
        "image_mean": 127.5, "image_std": 64.0, "resample": 0},
    "vit-no-normalize": {
        "image_processor_type": "ViTImageProcessor", "size": 64, "do_normalize": False, "resample": 4,
        "rescale_factor": 0.5},
    "clip-no-resize": {
        "image_processor_type": "CLIPImageProcessor", "do_resize": False, "crop_size": {"height": 96, "width": 80}},
    "clip-crop-larger-than-resize": {
        "image_processor_type": "CLIPImageProcessor", "size": 200, "crop_size": {"height": 224, "width": 250}},
    "facebook--convnextv2-tiny-1k-224-crop-pct-0.95": {
        "crop_pct": 0.95, "image_processor_type": "ConvNextImageProcessor", "image_mean": IMAGENET_MEAN,
        "image_std": IMAGENET_STD, "resample": 3, "size": {"shortest_edge": 224}},
    "convnext-crop-pct-above-one-pads": {
        "crop_pct": 1.2, "image_processor_type": "ConvNextImageProcessor", "size": 224, "resample": 2},
    # No processor named: AutoImageProcessor falls back to config.json's model_type ("_model_type" here).
    "untyped-dinov2-with-registers": {
        "_model_type": "dinov2_with_registers", "crop_size": {"height": 224, "width": 224},
        "image_mean": IMAGENET_MEAN, "image_std": IMAGENET_STD, "size": {"shortest_edge": 256}},
    "untyped-siglip": {"_model_type": "siglip", "size": {"height": 224, "width": 224}},
    "untyped-swin": {"_model_type": "swin", "size": 224, "resample": 3},
    "bit-hamming": {"image_processor_type": "BitImageProcessor", "resample": 5, "size": 97, "crop_size": 64},
}

# Configs the library must refuse: NotSupportedException naming the class and the file.
UNSUPPORTED = {
    "jinaai--jina-clip-v1": ("JinaCLIPImageProcessor", {
        "auto_map": {"AutoImageProcessor": "jinaai/jina-clip-implementation--processing_clip.JinaCLIPImageProcessor"},
        "image_processor_type": "JinaCLIPImageProcessor", "fill_color": 0, "interpolation": "bicubic",
        "mean": OPENAI_MEAN, "std": OPENAI_STD, "resize_mode": "shortest", "size": 224}),
    "facebook--detr-resnet-50": ("DetrImageProcessor", {
        "do_normalize": True, "do_resize": True, "feature_extractor_type": "DetrFeatureExtractor",
        "format": "coco_detection", "image_mean": IMAGENET_MEAN, "image_std": IMAGENET_STD, "max_size": 1333,
        "size": 800}),
    "google--owlvit-base-patch32": ("OwlViTImageProcessor", {
        "crop_size": 768, "do_center_crop": False, "do_normalize": True, "do_resize": True,
        "feature_extractor_type": "OwlViTFeatureExtractor", "image_mean": OPENAI_MEAN, "image_std": OPENAI_STD,
        "resample": 3, "size": 768}),
    "unknown-processor-name": ("ConvNextFeatureExtractorX", {
        "feature_extractor_type": "ConvNextFeatureExtractorX", "size": 224}),
}


def photo(width, height, seed):
    return image_processing.photo_like(width, height, seed)


def write_images(directory):
    """Edge-case PNGs; returns their paths."""
    rgb = {
        "one_1x1": photo(1, 1, 1),
        "row_500x1": photo(500, 1, 2),
        "column_1x500": photo(1, 500, 3),
        "two_2x2": photo(2, 2, 4),
        "square_224x224": photo(224, 224, 5),
        "square_256x256": photo(256, 256, 6),
        "landscape_640x480": photo(640, 480, 7),
        "portrait_333x517": photo(333, 517, 8),
        "panorama_4000x301": photo(4000, 301, 9),
        "panorama_299x3001": photo(299, 3001, 10),
        "tiny_7x5": photo(7, 5, 11),
        "odd_225x223": photo(225, 223, 12),
    }
    paths = []
    for name, pixels in rgb.items():
        path = os.path.join(directory, name + ".png")
        Image.fromarray(pixels).save(path)
        paths.append(path)
    base = photo(97, 61, 13)
    gray = Image.fromarray(base).convert("L")
    gray.save(os.path.join(directory, "gray_97x61.png"))
    rgba = np.dstack([base, (np.arange(97 * 61).reshape(61, 97) * 7 % 256).astype(np.uint8)])
    Image.fromarray(rgba, "RGBA").save(os.path.join(directory, "rgba_97x61.png"))
    Image.fromarray(base).quantize(colors=37).save(os.path.join(directory, "palette_97x61.png"))
    paths += [os.path.join(directory, name) for name in ("gray_97x61.png", "rgba_97x61.png", "palette_97x61.png")]
    return paths


def run_cli(cli, model_dir, image):
    command = ["dotnet", cli, "preprocess-image", "--model", model_dir, image]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    default_cli = sorted(glob.glob(os.path.join(root, "src", "Embeddings.Cli", "bin", "Release", "*", "Embeddings.Cli.dll")))
    parser.add_argument("--cli", default=default_cli[-1] if default_cli else None)
    parser.add_argument("--keep", help="write configs and images here instead of a temporary folder")
    parser.add_argument("--only", help="run only configs whose name contains this text")
    args = parser.parse_args()
    if args.cli is None:
        print("no Embeddings.Cli.dll: run `dotnet build src/Embeddings.Cli -c Release` or pass --cli", file=sys.stderr)
        return 2
    work = args.keep or tempfile.mkdtemp(prefix="preprocess_sweep_")
    os.makedirs(work, exist_ok=True)
    images_dir = os.path.join(work, "images")
    os.makedirs(images_dir, exist_ok=True)
    images = write_images(images_dir)
    failures, passed = [], 0
    for name, config in CONFIGS.items():
        if args.only and args.only not in name:
            continue
        model_dir = os.path.join(work, "models", name)
        os.makedirs(model_dir, exist_ok=True)
        model_type = config.get("_model_type")
        config = {key: value for key, value in config.items() if key != "_model_type"}
        with open(os.path.join(model_dir, "preprocessor_config.json"), "w", encoding="utf-8") as handle:
            json.dump(config, handle, indent=2)
        if model_type is not None:
            with open(os.path.join(model_dir, "config.json"), "w", encoding="utf-8") as handle:
                json.dump({"model_type": model_type}, handle, indent=2)
        clean = {key: value for key, value in config.items() if value is not None}
        for image_path in images:
            case = f"{name} x {os.path.basename(image_path)}"
            try:
                expected = image_processing.preprocess(image_processing.load_image(image_path), clean, model_type)
                reference_error = None
            except Exception as exception:  # noqa: BLE001 - transformers itself raises here
                expected, reference_error = None, f"{type(exception).__name__}: {exception}"
            result = run_cli(args.cli, model_dir, image_path)
            if reference_error is not None:
                if result.returncode == 0:
                    failures.append(f"{case}: reference raises ({reference_error}) but the CLI succeeded")
                else:
                    passed += 1
                    print(f"ok   {case}: both refuse ({result.stderr.strip()[:140]})")
                continue
            if result.returncode != 0:
                failures.append(f"{case}: CLI exit {result.returncode}: {result.stderr.strip()[:300]}")
                continue
            output = json.loads(result.stdout)
            actual = np.asarray(output["pixel_values"], dtype=np.float64)
            if list(output["shape"]) != list(expected.shape):
                failures.append(f"{case}: shape {output['shape']} != reference {list(expected.shape)}")
                continue
            difference = np.abs(actual - expected.reshape(-1).astype(np.float64))
            worst = float(difference.max())
            if worst > 1e-6:
                index = int(difference.argmax())
                failures.append(f"{case}: max |diff| {worst:.3g} at {np.unravel_index(index, expected.shape)}"
                                f" ({int((difference > 1e-6).sum())} values off)")
            else:
                passed += 1
        print(f"done {name}", flush=True)
    for name, (processor, config) in UNSUPPORTED.items():
        if args.only and args.only not in name:
            continue
        model_dir = os.path.join(work, "models", name)
        os.makedirs(model_dir, exist_ok=True)
        with open(os.path.join(model_dir, "preprocessor_config.json"), "w", encoding="utf-8") as handle:
            json.dump(config, handle, indent=2)
        result = run_cli(args.cli, model_dir, images[0])
        message = result.stderr.strip()
        if result.returncode != 1 or processor not in message or "preprocessor_config.json" not in message:
            failures.append(f"{name}: expected a one-line refusal naming {processor} and the file, got exit "
                            f"{result.returncode}: {message[:300]}")
        else:
            passed += 1
            print(f"ok   {name}: {message[:160]}")
    for failure in failures:
        print("FAIL " + failure)
    print(f"{passed} passed, {len(failures)} failed")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
