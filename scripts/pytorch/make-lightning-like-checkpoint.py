#!/usr/bin/env python3
"""Writes a full-size, Lightning-like NanoDet checkpoint for benchmarking and checking the PyTorch reader.

    /usr/bin/python3 scripts/pytorch/make-lightning-like-checkpoint.py KEYS.tsv OUT.ckpt [DIGESTS.json]

KEYS.tsv lists key, shape and dtype per line (header line first), e.g. the nanodet-plus-m_416 state_dict table.
The checkpoint has the layout of NanoDet's Lightning checkpoints: state_dict with model.* (raw) and avg_model.*
(EMA, different values) entries, AdamW optimizer_states for every parameter, epoch, global_step and
pytorch-lightning_version. Values are random (seed 0). DIGESTS.json, if given, maps each key to the SHA-256 of
the little-endian bytes of its EMA tensor: what the reader must return. Needs only torch (no NanoDet code).
"""
import collections
import hashlib
import json
import sys

import torch

BUFFERS = ("running_mean", "running_var", "num_batches_tracked", "project")


def main(tsv, out, digests=None):
    torch.manual_seed(0)
    raw, ema = collections.OrderedDict(), collections.OrderedDict()
    with open(tsv) as f:
        next(f)
        for line in f:
            key, shape, dtype = line.rstrip("\n").split("\t")
            shape = json.loads(shape)
            dtype = getattr(torch, dtype)
            if dtype.is_floating_point:
                raw[key] = torch.randn(shape, dtype=dtype)
                ema[key] = raw[key] * 0.5 + 0.25
            else:
                raw[key] = torch.randint(0, 1000, shape, dtype=dtype)
                ema[key] = raw[key] + 100
    state_dict = collections.OrderedDict()
    for k, v in raw.items():
        state_dict["model." + k] = v
    for k, v in ema.items():
        state_dict["avg_model." + k] = v
    params = [k for k in raw if not k.rsplit(".", 1)[-1] in BUFFERS]
    optimizer = {
        "state": {i: {"step": torch.tensor(100000.0), "exp_avg": torch.randn_like(raw[k]),
                      "exp_avg_sq": torch.rand_like(raw[k])} for i, k in enumerate(params)},
        "param_groups": [{"lr": 0.001, "betas": (0.9, 0.999), "eps": 1e-08, "weight_decay": 0.05, "amsgrad": False,
                          "foreach": None, "maximize": False, "capturable": False, "params": list(range(len(params)))}],
    }
    torch.save({"epoch": 299, "global_step": 100000, "pytorch-lightning_version": "1.9.5", "state_dict": state_dict,
                "optimizer_states": [optimizer], "lr_schedulers": []}, out)
    if digests:
        with open(digests, "w") as f:
            json.dump({k: hashlib.sha256(v.contiguous().reshape(-1).view(torch.uint8).numpy().tobytes()).hexdigest()
                       for k, v in ema.items()}, f, indent=0)
    print(f"{out}: {len(raw)} keys, {len(params)} parameters")


if __name__ == "__main__":
    main(*sys.argv[1:])
