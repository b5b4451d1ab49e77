#!/usr/bin/env python3
"""Build the PyTorch reference NanoDet-Plus (official code) in a small configuration, write its weights and a
fixed forward pass as safetensors fixtures for the C# parity test, or check a C#-written weights file against it.

The reference code is NOT part of this repository and must never be committed. Extract it to a scratch folder
and pass that folder:

    git --git-dir=<mirror of RangiLyu/nanodet> archive HEAD | tar -x -C /tmp/nanodet-ref
    python3 tools/interop/make_parity_fixture.py make  --nanodet /tmp/nanodet-ref --out tests/Host.Tests/Fixtures/parity
    python3 tools/interop/make_parity_fixture.py check --nanodet /tmp/nanodet-ref --weights W.safetensors --io IO.safetensors
    python3 tools/interop/make_parity_fixture.py convert --input model_best.ckpt --out model_best.safetensors

"convert" needs no reference checkout: it writes every tensor of a PyTorch checkpoint (a Lightning .ckpt, a NanoDet
.pth with "state_dict", a bare state_dict, or torchvision ShuffleNetV2 weights) under its original name; the C#
loader applies NanoDet's avg_model./model./module. prefix rule itself.

Needs only torch (tested with 1.13) and numpy; NanoDet's training-only dependencies (pytorch_lightning, pycocotools,
...) are replaced by inert stubs because the model code never calls them. The safetensors reader/writer below is
written here from the format description (8-byte little-endian header length, JSON header, raw data).

Variants (--variant): "fourpoint" = the official model with only the output widths changed (docs/reference.md#weight-names-and-checkpoint-loading)
(head.gfl_cls: C + 12(R+1), aux_head.gfl_reg: 12(R+1)); "plain" = the official NanoDet-Plus unchanged.
"""
import argparse
import copy
import importlib.abc
import importlib.machinery
import json
import struct
import sys
import types

import numpy as np
import torch
import torch.nn as nn

# ----------------------------------------------------------------------------------------------------------------
# Small configuration: ShuffleNetV2 0.5x, PAN 32, aux head 32 wide (GN 8 groups) and 2 deep, 3 classes, input
# 2 x 64x96 (H x W, non-square so that row-major prior order is exercised). Fixtures stay around 1.7 MB.
# The keys are NanoDet's; the C# test builds its model from the flat form stored in the weights' metadata.
CLASSES = 3
REG_MAX = 7
PAN = 32
INPUT_H, INPUT_W, BATCH = 64, 96, 2


def arch_config(points):
    return {
        "name": "NanoDetPlus",
        "detach_epoch": 10,
        "backbone": {"name": "ShuffleNetV2", "model_size": "0.5x", "out_stages": [2, 3, 4],
                     "activation": "LeakyReLU", "pretrain": False},
        "fpn": {"name": "GhostPAN", "in_channels": [48, 96, 192], "out_channels": PAN, "kernel_size": 5,
                "num_extra_level": 1, "use_depthwise": True, "activation": "LeakyReLU"},
        "head": {"name": "NanoDetPlusHead", "num_classes": CLASSES, "input_channel": PAN, "feat_channels": PAN,
                 "stacked_convs": 2, "kernel_size": 5, "strides": [8, 16, 32, 64], "activation": "LeakyReLU",
                 "reg_max": REG_MAX, "norm_cfg": {"type": "BN"}, "num_points": points},
        "aux_head": {"name": "SimpleConvHead", "num_classes": CLASSES, "input_channel": 2 * PAN,
                     "feat_channels": PAN, "stacked_convs": 2, "strides": [8, 16, 32, 64],
                     "norm_cfg": {"type": "GN", "num_groups": 8}, "activation": "LeakyReLU", "reg_max": REG_MAX,
                     "num_points": points},
    }


def flatten(prefix, value, out):
    """Config tree -> flat 'a:b:0' keys with string values (Microsoft.Extensions.Configuration's form)."""
    if isinstance(value, dict):
        for k, v in value.items():
            flatten(f"{prefix}:{k}" if prefix else k, v, out)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            flatten(f"{prefix}:{i}", v, out)
    elif isinstance(value, bool):
        out[prefix] = "true" if value else "false"
    else:
        out[prefix] = str(value)
    return out


# ----------------------------------------------------------------------------------------------------------------
# Inert stand-ins for NanoDet's training-time dependencies that are not installed.
class _Stub(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        stub = type(name, (object,), {"__init__": lambda self, *a, **k: None,
                                      "__call__": lambda self, *a, **k: (a[0] if a else None)})
        setattr(self, name, stub)
        return stub


class _StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    ROOTS = {"pytorch_lightning", "lightning_fabric", "termcolor", "pycocotools", "imagesize", "yacs", "tabulate",
             "matplotlib", "timm", "onnx", "onnxsim", "tensorboard", "torchmetrics"}

    def find_spec(self, fullname, path, target=None):
        if fullname.split(".")[0] in self.ROOTS and importlib.machinery.PathFinder.find_spec(fullname.split(".")[0]) is None:
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec):
        m = _Stub(spec.name)
        m.__path__ = []
        return m

    def exec_module(self, module):
        pass


class AttrDict(dict):
    """dict with attribute access, enough for NanoDet's cfg.loss.loss_qfl.beta style reads."""

    def __getattr__(self, k):
        try:
            return self[k]
        except KeyError as e:
            raise AttributeError(k) from e


def attr(d):
    if isinstance(d, dict):
        return AttrDict({k: attr(v) for k, v in d.items()})
    if isinstance(d, list):
        return [attr(v) for v in d]
    return d


# ----------------------------------------------------------------------------------------------------------------
# safetensors, written from the format description.
DTYPES = {torch.float32: ("F32", 4), torch.float64: ("F64", 8), torch.float16: ("F16", 2), torch.bfloat16: ("BF16", 2),
          torch.int64: ("I64", 8), torch.int32: ("I32", 4), torch.int16: ("I16", 2), torch.int8: ("I8", 1),
          torch.uint8: ("U8", 1), torch.bool: ("BOOL", 1)}
BY_NAME = {v[0]: k for k, v in DTYPES.items()}


def save_safetensors(path, tensors, metadata=None):
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    for name, t in tensors.items():
        t = t.detach().cpu().contiguous()
        name_dt, _ = DTYPES[t.dtype]
        data = t.view(torch.uint8).numpy().tobytes() if t.dtype == torch.bfloat16 else t.numpy().tobytes()
        header[name] = {"dtype": name_dt, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * ((8 - len(raw) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


def load_safetensors(path):
    with open(path, "rb") as f:
        buf = f.read()
    (n,) = struct.unpack("<Q", buf[:8])
    header = json.loads(buf[8:8 + n].decode("utf-8"))
    data = buf[8 + n:]
    meta = header.pop("__metadata__", {})
    out = {}
    for name, info in header.items():
        b, e = info["data_offsets"]
        dtype = BY_NAME[info["dtype"]]
        arr = torch.frombuffer(bytearray(data[b:e]), dtype=dtype) if e > b else torch.empty(0, dtype=dtype)
        out[name] = arr.reshape(info["shape"]).clone()
    return out, meta


# ----------------------------------------------------------------------------------------------------------------
def build_reference(nanodet_root, points, seed):
    sys.meta_path.insert(0, _StubFinder())
    sys.path.insert(0, nanodet_root)
    from nanodet.model.arch.nanodet_plus import NanoDetPlus
    from nanodet.model.module.init_weights import normal_init

    cfg = arch_config(points)
    head = dict(cfg["head"])
    head.pop("num_points")
    head["loss"] = {"loss_qfl": {"name": "QualityFocalLoss", "use_sigmoid": True, "beta": 2.0, "loss_weight": 1.0},
                    "loss_dfl": {"name": "DistributionFocalLoss", "loss_weight": 0.25},
                    "loss_bbox": {"name": "GIoULoss", "loss_weight": 2.0}}
    aux = dict(cfg["aux_head"])
    aux.pop("num_points")
    torch.manual_seed(seed)
    model = NanoDetPlus(backbone=attr(cfg["backbone"]), fpn=attr(cfg["fpn"]), aux_head=attr(aux),
                        head=attr(head), detach_epoch=cfg["detach_epoch"])
    if points:
        # docs/reference.md#weight-names-and-checkpoint-loading: the four-point model differs only in these output widths.
        bins = REG_MAX + 1
        for i in range(len(model.head.gfl_cls)):
            conv = nn.Conv2d(PAN, CLASSES + (4 + 2 * points) * bins, 1, padding=0)
            normal_init(conv, std=0.01, bias=-4.595)
            model.head.gfl_cls[i] = conv
        reg = nn.Conv2d(PAN, (4 + 2 * points) * bins, 3, padding=1)
        normal_init(reg, std=0.01)
        model.aux_head.gfl_reg = reg
    return model, cfg


def randomise(model, seed):
    """Move every tensor off its initial constant so a parity check exercises them all (BN statistics too)."""
    g = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():
        for name, t in model.state_dict().items():
            if t.dtype == torch.int64:  # num_batches_tracked
                t.fill_(int(torch.randint(1, 1000, (1,), generator=g)))
            elif name.endswith("running_var"):
                t.copy_(torch.rand(t.shape, generator=g) + 0.5)
            elif name.endswith("running_mean") or name.endswith(".bias"):
                t.add_(0.1 * torch.randn(t.shape, generator=g))
            elif name.endswith("scale") or (t.dim() == 1 and name.endswith(".weight")):
                t.copy_(torch.rand(t.shape, generator=g) + 0.5)
            elif "gfl_" in name:
                t.copy_(0.1 * torch.randn(t.shape, generator=g))


def run(model, x):
    """Eval-mode outputs: raw main head [B, N, K] and raw aux head on concat([fpn, aux_fpn]) [B, N, K]."""
    model.eval()
    with torch.no_grad():
        feat = model.backbone(x)
        fpn_feat = model.fpn(feat)
        aux_feat = model.aux_fpn(feat)
        head = model.head(fpn_feat)
        aux = model.aux_head([torch.cat([f, a], dim=1) for f, a in zip(fpn_feat, aux_feat)])
    return head, aux


def make(args):
    points = 4 if args.variant == "fourpoint" else 0
    model, cfg = build_reference(args.nanodet, points, args.seed)
    randomise(model, args.seed)
    g = torch.Generator().manual_seed(args.seed + 2)
    x = torch.randn(BATCH, 3, INPUT_H, INPUT_W, generator=g)
    head, aux = run(model, x)
    flat = flatten("model:arch", {k: v for k, v in cfg.items() if k != "name"}, {"model:arch:name": cfg["name"]})
    meta = {"nanodet_config": json.dumps(flat, sort_keys=True), "generator": "tools/interop/make_parity_fixture.py",
            "variant": args.variant, "torch": torch.__version__}
    import os
    os.makedirs(args.out, exist_ok=True)
    save_safetensors(os.path.join(args.out, f"{args.variant}.weights.safetensors"), model.state_dict(), meta)
    save_safetensors(os.path.join(args.out, f"{args.variant}.io.safetensors"),
                     {"input": x, "head_raw": head, "aux_raw": aux}, {"variant": args.variant})
    n = sum(p.numel() for p in model.parameters())
    print(f"{args.variant}: {len(model.state_dict())} entries, {n} parameters, head {tuple(head.shape)}, "
          f"|head| max {head.abs().max():.3f}, |aux| max {aux.abs().max():.3f}")


def check(args):
    """Load a (C#-written) weights file strictly into the reference model and compare its forward with --io."""
    state, meta = load_safetensors(args.weights)
    flat = json.loads(meta["nanodet_config"]) if "nanodet_config" in meta else None
    points = int(flat["model:arch:head:num_points"]) if flat else 4
    model, _ = build_reference(args.nanodet, points, 0)
    missing, unexpected = model.load_state_dict(state, strict=True)
    print(f"load_state_dict(strict=True): {len(state)} tensors, missing {list(missing)}, unexpected {list(unexpected)}")
    if args.io:
        io, _ = load_safetensors(args.io)
        head, aux = run(model, io["input"])
        for name, ours in (("head_raw", head), ("aux_raw", aux)):
            ref = io[name]
            err = ((ours - ref).abs() / (1 + ref.abs())).max().item()
            print(f"{name}: shape {tuple(ours.shape)}, max |diff|/(1+|x|) = {err:.3g}")
            if err > 1e-4:
                sys.exit(f"{name} differs")
    print("ok")


def convert(args):
    """PyTorch checkpoint -> safetensors with the original tensor names (non-tensor entries are skipped)."""
    sys.meta_path.insert(0, _StubFinder())  # Lightning checkpoints may pickle pytorch_lightning objects
    ckpt = torch.load(args.input, map_location="cpu")
    state = ckpt.get("state_dict", ckpt) if isinstance(ckpt, dict) else ckpt
    tensors = {k: v for k, v in state.items() if isinstance(v, torch.Tensor)}
    skipped = [k for k, v in state.items() if not isinstance(v, torch.Tensor)]
    meta = {"source": args.input}
    if isinstance(ckpt, dict):
        for key in ("epoch", "global_step", "iter"):
            if key in ckpt:
                meta[key] = str(ckpt[key])
    save_safetensors(args.out, tensors, meta)
    print(f"{args.out}: {len(tensors)} tensors" + (f", skipped non-tensors {skipped}" if skipped else ""))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("make")
    m.add_argument("--nanodet", required=True, help="local checkout of RangiLyu/nanodet (never committed)")
    m.add_argument("--out", required=True)
    m.add_argument("--variant", choices=["fourpoint", "plain"], default="fourpoint")
    m.add_argument("--seed", type=int, default=20241124)
    c = sub.add_parser("check")
    c.add_argument("--nanodet", required=True)
    c.add_argument("--weights", required=True)
    c.add_argument("--io", help="safetensors with input, head_raw, aux_raw to compare against")
    v = sub.add_parser("convert")
    v.add_argument("--input", required=True, help=".ckpt / .pth / state_dict file")
    v.add_argument("--out", required=True)
    args = p.parse_args()
    torch.set_num_threads(1)
    {"make": make, "check": check, "convert": convert}[args.cmd](args)


if __name__ == "__main__":
    main()
