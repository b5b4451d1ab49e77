#!/usr/bin/env python3
"""Write the PyTorch checkpoint used by the `nanodet export --format safetensors` conversion test.

Run ONCE with Debian's torch 1.13 (the output is committed):

    /usr/bin/python3 tools/interop/make_export_fixture.py

Input: tests/Host.Tests/Fixtures/parity/fourpoint.weights.safetensors (weights of the PyTorch reference model, see
make_parity_fixture.py). Output: tests/Host.Tests/Fixtures/export/fourpoint_lightning.ckpt, saved by real
torch.save in the layout of a NanoDet Lightning checkpoint: "state_dict" holds the raw training weights under
"model." and the EMA copy under "avg_model.", plus epoch, global_step and the Lightning version. Here the EMA copy is
the reference weights exactly and the raw copy is every float tensor + 0.25, so a test can tell which one a
converter used. aux_fpn is written under avg_model. only (the training-only branch exists in real checkpoints and
must be dropped by an inference export; aux_head is left out to keep the file small). Also writes fourpoint_config.json: the model configuration in NanoDet's keys.
Nothing here imports NanoDet or any other fetched code.
"""
import collections
import json
import os
import struct

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOURCE = os.path.join(ROOT, "tests/Host.Tests/Fixtures/parity/fourpoint.weights.safetensors")
OUT = os.path.join(ROOT, "tests/Host.Tests/Fixtures/export")
DTYPES = {"F32": np.float32, "I64": np.int64}


def read_safetensors(path):
    """(ordered name -> tensor, metadata) from the format: u64 LE header length, JSON header, raw data."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    meta = header.pop("__metadata__", {})
    tensors = collections.OrderedDict()
    for name, info in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0]):
        begin, end = info["data_offsets"]
        array = np.frombuffer(data[begin:end], dtype=DTYPES[info["dtype"]]).reshape(info["shape"])
        tensors[name] = torch.from_numpy(array.copy())
    return tensors, meta


def nested(flat):
    """{"a:b:0": v} -> {"a": {"b": {"0": v}}} (the C# configuration reads numbered keys as list items)."""
    root = {}
    for key, value in flat.items():
        node = root
        parts = key.split(":")
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = value
    return root


def main():
    tensors, meta = read_safetensors(SOURCE)
    state = collections.OrderedDict()
    for name, t in tensors.items():
        if name.startswith(("aux_fpn.", "aux_head.")):
            continue
        state["model." + name] = t + 0.25 if t.is_floating_point() else t.clone()
    for name, t in tensors.items():
        if not name.startswith("aux_head."):
            state["avg_model." + name] = t.clone()
    checkpoint = {"epoch": 12, "global_step": 345, "pytorch-lightning_version": "1.9.5", "state_dict": state}
    os.makedirs(OUT, exist_ok=True)
    torch.save(checkpoint, os.path.join(OUT, "fourpoint_lightning.ckpt"))
    config = nested(json.loads(meta["nanodet_config"]))
    config["class_names"] = ["plate_a", "plate_b", "plate_c"]
    with open(os.path.join(OUT, "fourpoint_config.json"), "w") as f:
        json.dump(config, f, indent=1)
    print(f"wrote {len(state)} entries")


if __name__ == "__main__":
    main()
