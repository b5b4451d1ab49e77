#!/usr/bin/env python3
"""Time the PyTorch reference NanoDet-Plus training step (forward_train with the aux branch and the full loss,
backward, gradient clipping, AdamW) for the architecture of one of our config files, to compare with
`dotnet run -c Release --project benchmarks -- train`.

The reference code is NOT part of this repository and must never be committed. Extract it to a scratch folder:

    git --git-dir=<mirror of RangiLyu/nanodet> archive HEAD | tar -x -C /tmp/nanodet-ref
    python3 tools/interop/pytorch_train_throughput.py --nanodet /tmp/nanodet-ref --config appsettings.json

The official code has no four-point head, so the comparison uses plain NanoDet-Plus on both sides (run our
benchmark with --set model:arch:head:num_points=0 --set model:arch:aux_head:num_points=0). Images and boxes are
random tensors (no data pipeline): the reference's loader is not part of the measurement, ours is (it shows as
"data wait" in our benchmark and is close to zero).
"""
import argparse
import json
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_parity_fixture import _StubFinder, attr  # noqa: E402  (stubs for NanoDet's training-only imports)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--nanodet", required=True, help="folder with the reference code (never committed)")
    p.add_argument("--config", required=True, help="our JSON config (appsettings.json): its model section is used")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--size", default=None, help="WxH input (default: data:train:input_size of the config)")
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--objects", type=int, default=3, help="ground-truth boxes per image")
    a = p.parse_args()

    sys.meta_path.insert(0, _StubFinder())
    sys.path.insert(0, a.nanodet)
    from nanodet.model.arch.nanodet_plus import NanoDetPlus

    cfg = json.load(open(a.config))
    arch = cfg["model"]["arch"]
    w, h = (int(v) for v in a.size.split("x")) if a.size else cfg["data"]["train"]["input_size"]
    head, aux, backbone = dict(arch["head"]), dict(arch["aux_head"]), dict(arch["backbone"])
    for d in (head, aux):
        d.pop("num_points", None)
        d.get("loss", {}).pop("loss_pts", None)
    backbone["pretrain"] = False
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = NanoDetPlus(backbone=attr(backbone), fpn=attr(arch["fpn"]), aux_head=attr(aux), head=attr(head),
                        detach_epoch=arch.get("detach_epoch", 10))
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
    g = torch.Generator().manual_seed(0)
    boxes, labels = [], []
    for _ in range(a.batch):
        xy = torch.rand(a.objects, 2, generator=g) * torch.tensor([w - 80.0, h - 80.0])
        wh = 20 + torch.rand(a.objects, 2, generator=g) * 60
        boxes.append(torch.cat([xy, xy + wh], 1).numpy())
        labels.append(torch.randint(0, head["num_classes"], (a.objects,), generator=g).numpy())
    meta = dict(img=torch.randn(a.batch, 3, h, w, generator=g), gt_bboxes=boxes, gt_labels=labels,
                gt_bboxes_ignore=[None] * a.batch)
    times = []
    for i in range(a.steps + 2):
        t0 = time.perf_counter()
        _, loss, _ = model.forward_train(meta)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 35)
        opt.step()
        if i >= 2:
            times.append(time.perf_counter() - t0)
    t = statistics.median(times)
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads, batch {a.batch}, {w}x{h}, "
          f"{sum(q.numel() for q in model.parameters()):,} parameters: median step {t * 1000:.0f} ms "
          f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, n={len(times)}), {a.batch / t:.1f} images/s, "
          f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
