#!/usr/bin/env python3
"""Generates the COCO evaluation parity cases in tests/Evaluators.Tests/Parity/cases/.

    python3 generate_cases.py            # writes <case>.gt.json and <case>.dt.json (standard library only)
    python3 generate_cases.py --expect   # also writes <case>.expected.json from pycocotools' COCOeval

The cases are randomised but deterministic (fixed seeds) and meant to look like real evaluation inputs while
hitting every rule of COCOeval: non-contiguous and unsorted image and category ids, annotations in random file
order, crowd regions, an `ignore` flag that pycocotools overrides, `area` fields that differ from w*h and that
sit exactly on the 32^2 / 96^2 bounds, tiny, zero-size and huge boxes, duplicate detections, score ties within
and across images, images with ground truth but no detections and the reverse, more than 100 detections on an
image, a category without ground truth, a category without detections, detections of a category id that is
not in the ground truth, and four corner points (which pycocotools ignores; our corner metrics use them).

--expect needs pycocotools importable (this script neither contains nor builds it). The expected files hold
COCOeval's 12 stats, its printed summary, the per-class AP50 and mAP exactly as NanoDet computes them, and
the mean precision over recall thresholds and the recall for every (IoU, class, area, maxDets) cell, all as
Python floats (shortest repr, so they round-trip exactly).
"""
import argparse
import io
import json
import math
import os
import random
import struct
from contextlib import redirect_stdout

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "cases")


def f32(x):
    """The float32 nearest to x, as a Python float (how NanoDet's float32 outputs reach json)."""
    return struct.unpack("f", struct.pack("f", x))[0]


def quad_in_box(rng, x, y, w, h, skew):
    """Corners TL, BL, BR, TR of a slightly skewed plate inside the box."""
    jx, jy = skew * w, skew * h
    tl = (x + rng.uniform(0, jx), y + rng.uniform(0, jy))
    bl = (x + rng.uniform(0, jx), y + h - rng.uniform(0, jy))
    br = (x + w - rng.uniform(0, jx), y + h - rng.uniform(0, jy))
    tr = (x + w - rng.uniform(0, jx), y + rng.uniform(0, jy))
    return [v for p in (tl, bl, br, tr) for v in p]


def make_case(name, seed, n_images, categories, gt_per_image, fp_per_image, opts):
    rng = random.Random(seed)
    rnd = opts.get("round", 2)
    images = []
    image_ids = rng.sample(range(1, 10 * n_images + 10), n_images)
    for iid in image_ids:
        w, h = rng.choice([(640, 480), (1280, 720), (1920, 1080), (416, 416), (800, 600)])
        images.append({"id": iid, "file_name": f"{iid:06d}.jpg", "width": w, "height": h})
    cat_ids = [c["id"] for c in categories]
    gt_cats = [c for c in cat_ids if c not in opts.get("no_gt_cats", [])]
    det_cats = [c for c in cat_ids if c not in opts.get("no_det_cats", [])]

    anns = []
    dets = []
    for im in images:
        W, H = im["width"], im["height"]
        empty_gt = rng.random() < opts.get("p_no_gt", 0.08)
        n_gt = 0 if empty_gt else rng.randint(*gt_per_image)
        for _ in range(n_gt):
            # log-uniform side lengths cover the small / medium / large ranges
            bw = math.exp(rng.uniform(math.log(opts.get("min_side", 3)), math.log(opts.get("max_side", 500))))
            bh = bw * math.exp(rng.uniform(-0.8, 0.8))
            bw, bh = min(bw, W - 1), min(bh, H - 1)
            x, y = rng.uniform(0, W - bw), rng.uniform(0, H - bh)
            x, y, bw, bh = (round(v, rnd) for v in (x, y, bw, bh))
            cat = rng.choice(gt_cats)
            crowd = rng.random() < opts.get("p_crowd", 0.03)
            area = bw * bh
            r = rng.random()
            if r < 0.5:
                area = round(area * rng.uniform(0.55, 1.0), 2)  # polygon area, as COCO's segmentation areas
            elif r < 0.5 + opts.get("p_boundary", 0.03):
                area = rng.choice([1024, 9216, 1024.0000000000001, 1023.9999999999999, 9216.000000000002])
            ann = {"id": len(anns) + 1, "image_id": im["id"], "category_id": cat, "bbox": [x, y, bw, bh],
                   "area": area, "iscrowd": 1 if crowd else 0}
            if not crowd:
                ann["points"] = [round(v, rnd) for v in quad_in_box(rng, x, y, bw, bh, 0.12)]
            if rng.random() < opts.get("p_ignore_flag", 0.02):
                ann["ignore"] = 1
            anns.append(ann)
            if crowd or cat not in det_cats:
                continue
            # detections of this object: maybe missed, maybe duplicated, jittered
            n_det = 0 if rng.random() < opts.get("p_miss", 0.15) else (2 if rng.random() < opts.get("p_dup", 0.1) else 1)
            for _ in range(n_det):
                q = rng.uniform(0.0, opts.get("jitter", 0.25))
                dx, dy = rng.gauss(0, q * bw), rng.gauss(0, q * bh)
                sw, sh = bw * math.exp(rng.gauss(0, q)), bh * math.exp(rng.gauss(0, q))
                score = max(0.0, min(1.0, 0.95 - q * 2.5 + rng.gauss(0, 0.1)))
                dcat = cat if rng.random() > opts.get("p_wrong_cat", 0.05) else rng.choice(det_cats)
                pts = [v + rng.gauss(0, 1.0 + q * 8) for v in ann.get("points", quad_in_box(rng, x, y, bw, bh, 0.1))]
                dets.append(make_det(im["id"], dcat, x + dx, y + dy, sw, sh, score, pts, opts, rng))
        n_fp = rng.randint(*fp_per_image)
        if rng.random() < opts.get("p_flood", 0.0):
            n_fp += rng.randint(101, 160)  # beyond maxDets = 100 on this image
        for _ in range(n_fp):
            bw = math.exp(rng.uniform(math.log(2), math.log(400)))
            bh = bw * math.exp(rng.uniform(-0.7, 0.7))
            x, y = rng.uniform(-5, W - 10), rng.uniform(-5, H - 10)
            score = rng.uniform(0.0, 0.7) ** 1.5
            pts = quad_in_box(rng, x, y, bw, bh, 0.1)
            dets.append(make_det(im["id"], rng.choice(det_cats), x, y, bw, bh, score, pts, opts, rng))
    for c in opts.get("unknown_det_cats", []):
        im = rng.choice(images)
        dets.append(make_det(im["id"], c, 10, 10, 50, 40, 0.9, quad_in_box(rng, 10, 10, 50, 40, 0.1), opts, rng))
    for _ in range(opts.get("degenerate", 0)):
        im = rng.choice(images)
        kind = rng.choice(["zero_w", "zero_h", "tiny", "huge"])
        x, y = rng.uniform(0, 300), rng.uniform(0, 300)
        bw, bh = {"zero_w": (0.0, 20.0), "zero_h": (20.0, 0.0), "tiny": (0.4, 0.7), "huge": (5000.0, 4000.0)}[kind]
        anns.append({"id": len(anns) + 1, "image_id": im["id"], "category_id": rng.choice(gt_cats),
                     "bbox": [round(x, rnd), round(y, rnd), bw, bh], "area": bw * bh, "iscrowd": 0})
        dets.append(make_det(im["id"], rng.choice(det_cats), x, y, bw * 1.05, bh * 0.95, rng.random(), None, opts, rng))

    rng.shuffle(anns)  # file order differs from id order
    rng.shuffle(images)
    cats = list(categories)
    rng.shuffle(cats)
    if opts.get("shuffle_dets", True):
        rng.shuffle(dets)
    gt = {"info": {"description": f"parity case {name} (generated, seed {seed})"}, "images": images,
          "annotations": anns, "categories": cats}
    return gt, dets


def make_det(image_id, cat, x, y, w, h, score, pts, opts, rng):
    rnd = opts.get("round", 2)
    style = opts.get("score_style", "float32")
    if style == "float32":
        score = f32(score)
    elif style == "ties":
        score = round(score, 1)
    elif style == "mixed":
        score = round(score, 2) if rng.random() < 0.5 else f32(score)
    det = {"image_id": image_id, "category_id": cat,
           "bbox": [round(x, rnd), round(y, rnd), round(w, rnd), round(h, rnd)], "score": score}
    if pts is not None and rng.random() > opts.get("p_det_no_points", 0.0):
        det["points"] = [round(v, rnd) for v in pts]
    return det


def categories(n, first_id=1, gap=True, prefix="class"):
    ids, cid = [], first_id
    for _ in range(n):
        ids.append(cid)
        cid += 2 if gap else 1
    return [{"id": i, "name": f"{prefix}{i}", "supercategory": "thing"} for i in ids]


ARMOR = ["B1", "B2", "B3", "B4", "B5", "BG", "BO", "BBs", "BBb", "R1", "R2", "R3", "R4", "R5", "RG", "RO", "RBs", "RBb"]

CASES = [
    # name, seed, images, categories, gt/image, extra fp/image, options
    ("mixed", 11, 60, categories(6, 3), (0, 6), (0, 4),
     {"no_gt_cats": [13], "no_det_cats": [5], "unknown_det_cats": [99, 99], "p_flood": 0.05, "degenerate": 6,
      "score_style": "mixed", "p_ignore_flag": 0.05}),
    ("dense_maxdets", 22, 25, categories(3, 1, gap=False), (3, 10), (40, 90),
     {"p_flood": 0.4, "score_style": "ties", "p_dup": 0.3}),
    ("nanodet_float32", 33, 220, categories(10, 1, gap=False), (0, 8), (0, 6),
     {"score_style": "float32", "p_crowd": 0.02, "round": 3}),
    ("crowds_and_ties", 44, 80, categories(4, 10), (1, 9), (0, 5),
     {"p_crowd": 0.2, "score_style": "ties", "p_dup": 0.25, "p_boundary": 0.15, "p_no_gt": 0.15}),
    ("size_extremes", 55, 70, categories(5, 2), (1, 7), (0, 3),
     {"min_side": 0.5, "max_side": 2500, "degenerate": 25, "p_boundary": 0.2, "round": 4, "score_style": "mixed"}),
    ("armor", 66, 150, [{"id": i + 1, "name": n} for i, n in enumerate(ARMOR)], (0, 4), (0, 3),
     {"min_side": 6, "max_side": 180, "jitter": 0.15, "p_det_no_points": 0.03, "score_style": "float32"}),
]


def expected(gt_path, dt_path):
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval
    import numpy as np

    with redirect_stdout(io.StringIO()):
        coco = COCO(gt_path)
        res = coco.loadRes(dt_path)
        ev = COCOeval(coco, res, "bbox")
        ev.evaluate()
        ev.accumulate()
    buf = io.StringIO()
    with redirect_stdout(buf):
        ev.summarize()
    prec = ev.eval["precision"]  # [T, R, K, A, M]
    rec = ev.eval["recall"]      # [T, K, A, M]
    T, R, K, A, M = prec.shape
    per_class = []
    for k, cat_id in enumerate(ev.params.catIds):
        p50 = prec[0, :, k, 0, -1]
        p50 = p50[p50 > -1]
        pall = prec[:, :, k, 0, -1]
        pall = pall[pall > -1]
        per_class.append({"category_id": int(cat_id),
                          "ap50": float(np.mean(p50) * 100) if p50.size else None,
                          "map": float(np.mean(pall) * 100) if pall.size else None})
    ap = [[[[(float(np.mean(prec[t, :, k, a, m])) if prec[t, 0, k, a, m] > -1 else -1.0)
             for m in range(M)] for a in range(A)] for k in range(K)] for t in range(T)]
    return {"source": "pycocotools COCOeval (cocodataset/cocoapi PythonAPI), iouType bbox",
            "stats": [float(s) for s in ev.stats], "summary": buf.getvalue(), "per_class": per_class,
            "mean_precision_tkam": ap, "recall_tkam": rec.tolist()}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--expect", action="store_true", help="also run pycocotools and write <case>.expected.json")
    args = parser.parse_args()
    os.makedirs(OUT, exist_ok=True)
    for name, seed, n, cats, gpi, fpi, opts in CASES:
        gt, dets = make_case(name, seed, n, cats, gpi, fpi, opts)
        gt_path = os.path.join(OUT, f"{name}.gt.json")
        dt_path = os.path.join(OUT, f"{name}.dt.json")
        with open(gt_path, "w") as f:
            f.write("{\n")
            f.write(f'"info": {json.dumps(gt["info"])},\n')
            for i, key in enumerate(["images", "categories", "annotations"]):
                f.write(f'"{key}": [\n')
                f.write(",\n".join(json.dumps(e, separators=(",", ":")) for e in gt[key]))
                f.write("\n]" + (",\n" if i < 2 else "\n"))
            f.write("}\n")
        with open(dt_path, "w") as f:
            f.write("[\n" + ",\n".join(json.dumps(d, separators=(",", ":")) for d in dets) + "\n]\n")
        print(f"{name}: {len(gt['images'])} images, {len(gt['annotations'])} annotations, {len(dets)} detections")
        if args.expect:
            exp = expected(gt_path, dt_path)
            with open(os.path.join(OUT, f"{name}.expected.json"), "w") as f:
                json.dump(exp, f, indent=1)
                f.write("\n")
            print("  stats " + " ".join(f"{s:.3f}" for s in exp["stats"]))


if __name__ == "__main__":
    main()
