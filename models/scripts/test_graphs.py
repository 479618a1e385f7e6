"""Small ONNX graphs for the ONNX Runtime binding tests, with expected outputs computed by numpy.

Run from the repository root: /usr/bin/python3 models/scripts/test_graphs.py
Writes models/testgraphs/*.onnx and models/testgraphs/expected.json (deterministic).
"""
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join(os.path.dirname(__file__), "..", "testgraphs")


def save(model, name):
    onnx.checker.check_model(model)
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        f.write(model.SerializeToString(deterministic=True))
    return path


def affine():
    """y = x @ W + b with x float[batch, 3] (symbolic 'batch'), W 3x2, b 2; plus z = relu(y)."""
    w = np.array([[0.5, -1.0], [2.0, 0.25], [-0.75, 1.5]], dtype=np.float32)
    b = np.array([0.125, -0.5], dtype=np.float32)
    nodes = [
        helper.make_node("MatMul", ["x", "W"], ["xw"]),
        helper.make_node("Add", ["xw", "b"], ["y"]),
        helper.make_node("Relu", ["y"], ["z"]),
    ]
    graph = helper.make_graph(
        nodes, "affine",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 3])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 2]),
         helper.make_tensor_value_info("z", TensorProto.FLOAT, ["batch", 2])],
        initializer=[numpy_helper.from_array(w, "W"), numpy_helper.from_array(b, "b")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)], producer_name="embeddings-tests")
    model.ir_version = 8
    save(model, "affine.onnx")
    x = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 0.0], [0.0, 0.0, 0.0], [10.0, -3.0, 2.5]], dtype=np.float32)
    y = x @ w + b
    return {"x": x.tolist(), "W": w.tolist(), "b": b.tolist(), "y": y.tolist(), "z": np.maximum(y, 0).tolist()}


def ids_to_float():
    """out = Cast(ids, float) * scale + mask with ids int64[batch, sequence] and mask int64[batch, sequence]."""
    nodes = [
        helper.make_node("Cast", ["input_ids"], ["idsf"], to=TensorProto.FLOAT),
        helper.make_node("Cast", ["attention_mask"], ["maskf"], to=TensorProto.FLOAT),
        helper.make_node("Mul", ["idsf", "scale"], ["scaled"]),
        helper.make_node("Add", ["scaled", "maskf"], ["out"]),
    ]
    graph = helper.make_graph(
        nodes, "ids_to_float",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "sequence"]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "sequence"])],
        [helper.make_tensor_value_info("out", TensorProto.FLOAT, ["batch", "sequence"])],
        initializer=[numpy_helper.from_array(np.array(0.5, dtype=np.float32), "scale")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)], producer_name="embeddings-tests")
    model.ir_version = 8
    save(model, "ids_to_float.onnx")
    ids = np.array([[101, 7592, 102], [101, 102, 0]], dtype=np.int64)
    mask = np.array([[1, 1, 1], [1, 1, 0]], dtype=np.int64)
    return {"input_ids": ids.tolist(), "attention_mask": mask.tolist(),
            "out": (ids.astype(np.float32) * np.float32(0.5) + mask.astype(np.float32)).tolist()}


def fixed_shape():
    """y = x * 2 with x float[2, 3] (fixed shape), to test rank/shape errors."""
    graph = helper.make_graph(
        [helper.make_node("Mul", ["x", "two"], ["y"])], "fixed_shape",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3])],
        initializer=[numpy_helper.from_array(np.array(2.0, dtype=np.float32), "two")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)], producer_name="embeddings-tests")
    model.ir_version = 8
    save(model, "fixed_shape.onnx")
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    return {"x": x.tolist(), "y": (x * 2).tolist()}


def clip_projection():
    """A CLIPVisionModelWithProjection-shaped graph: pixel_values float[batch, 3, 224, 224] gives
    image_embeds = (mean of each channel) @ W, float[batch, 5], and last_hidden_state = pixel_values reshaped to
    [batch, 147, 1024]. Expected values come from numpy on the Pillow-based reference pixel_values of one image."""
    import gzip
    w = np.array([[0.5, -1.0, 0.25, 2.0, -0.125], [1.5, 0.75, -2.0, 0.0, 1.0], [-0.5, 0.25, 1.0, -1.5, 0.5]],
                 dtype=np.float32)
    nodes = [
        helper.make_node("ReduceMean", ["pixel_values"], ["channel_means"], axes=[2, 3], keepdims=0),
        helper.make_node("MatMul", ["channel_means", "W"], ["image_embeds"]),
        helper.make_node("Reshape", ["pixel_values", "hidden_shape"], ["last_hidden_state"]),
    ]
    graph = helper.make_graph(
        nodes, "clip_projection",
        [helper.make_tensor_value_info("pixel_values", TensorProto.FLOAT, ["batch_size", 3, 224, 224])],
        [helper.make_tensor_value_info("image_embeds", TensorProto.FLOAT, ["batch_size", 5]),
         helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch_size", 147, 1024])],
        initializer=[numpy_helper.from_array(w, "W"),
                     numpy_helper.from_array(np.array([0, 147, 1024], dtype=np.int64), "hidden_shape")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)], producer_name="embeddings-tests")
    model.ir_version = 8
    save(model, "clip_projection.onnx")
    source = "expected/pixel_values/vit/jpeg_420.npy.gz"
    with gzip.open(os.path.join(OUT, "..", source), "rb") as f:
        pixels = np.load(f).astype(np.float64).reshape(3, 224, 224)
    embeds = pixels.mean(axis=(1, 2)) @ w.astype(np.float64)
    hidden = pixels.reshape(147, 1024)
    return {"image": "jpeg_420.jpg", "preprocessor": "vit", "pixel_values": source, "W": w.tolist(),
            "image_embeds": embeds.tolist(), "cls": hidden[0].tolist(), "mean_patches": hidden[1:].mean(axis=0).tolist()}


def text_without_token_types():
    """A DistilBERT/MPNet-shaped text graph with no token_type_ids: input_ids and attention_mask int64[batch, sequence]
    give last_hidden_state = E[input_ids] * attention_mask, E float[6124, 8] seeded. Expected mean-pooled vectors use
    transformers.js's ids (tests/data/tokenization/expected-bert-mean.jsonl.gz) for the first corpus lines."""
    import gzip
    rng = np.random.default_rng(20261121)
    table = rng.standard_normal((6124, 8)).astype(np.float32)
    nodes = [
        helper.make_node("Gather", ["E", "input_ids"], ["embedded"], axis=0),
        helper.make_node("Cast", ["attention_mask"], ["maskf"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["maskf", "last_axis"], ["mask3"]),
        helper.make_node("Mul", ["embedded", "mask3"], ["last_hidden_state"]),
    ]
    graph = helper.make_graph(
        nodes, "text_without_token_types",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch_size", "sequence_length"]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch_size", "sequence_length"])],
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch_size", "sequence_length", 8])],
        initializer=[numpy_helper.from_array(table, "E"),
                     numpy_helper.from_array(np.array([2], dtype=np.int64), "last_axis")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)], producer_name="embeddings-tests")
    model.ir_version = 8
    save(model, "text_without_token_types.onnx")
    root = os.path.join(OUT, "..", "..", "tests", "data", "tokenization")
    with open(os.path.join(root, "corpus.jsonl"), encoding="utf-8") as f:
        lines = [json.loads(line) for line in f]
    with gzip.open(os.path.join(root, "expected-bert-mean.jsonl.gz"), "rt", encoding="utf-8") as f:
        oracle = [json.loads(line) for line in f][1:]
    texts, means = [], []
    for i in range(len(lines)):
        if "text" in lines[i] and 3 <= len(oracle[i]["ids"]) <= 40:
            ids = np.array(oracle[i]["ids"])
            texts.append(lines[i]["text"])
            means.append(table.astype(np.float64)[ids].mean(axis=0))
        if len(texts) == 6:
            break
    means = np.array(means)
    return {"tokenizer": "models/bert-mean", "ids_source": "transformers.js via tests/data/tokenization/expected-bert-mean.jsonl.gz",
            "texts": texts, "mean": means.tolist(),
            "mean_normalized": (means / np.linalg.norm(means, axis=1, keepdims=True)).tolist()}


def main():
    os.makedirs(OUT, exist_ok=True)
    expected = {"affine": affine(), "ids_to_float": ids_to_float(), "fixed_shape": fixed_shape(),
                "clip_projection": clip_projection(),
                "text_without_token_types": text_without_token_types(),
                "generator": {"numpy": np.__version__, "onnx": onnx.__version__}}
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
