#!/usr/bin/env python3
"""Runs the keypoint-AP cases of KeypointApTests.cs through pycocotools' COCOeval(iouType='keypoints').

    python3 keypoint_cases.py                      # pycocotools importable
    python3 keypoint_cases.py /path/to/PythonAPI   # a cocoapi checkout's PythonAPI folder (only the pure-Python
                                                   # coco.py / cocoeval.py are used: keypoint evaluation never
                                                   # calls the compiled mask API, so a missing _mask is replaced)

Needs numpy. Prints, per case, kpt_mAP, kpt_AP_50, kpt_AP_75, kpt_AP_m, kpt_AP_l, kpt_AR (stats 0-5 of
COCOeval.summarize for keypoints) to compare with the expected values in KeypointApTests.cs. Our files give
corners as "points" (8 numbers); here they become COCO keypoints (x, y, v=2) with num_keypoints 4, and
objects without corners get num_keypoints 0, as COCO stores them.
"""
import contextlib
import io
import json
import os
import sys
import tempfile
import types

import numpy as np

if not hasattr(np, "float"):
    np.float = float  # older cocoapi code uses the alias numpy 1.24 removed

if len(sys.argv) > 1:
    sys.path.insert(0, sys.argv[1])
    for name in ("matplotlib", "matplotlib.pyplot", "matplotlib.collections", "matplotlib.patches"):
        sys.modules.setdefault(name, types.ModuleType(name))
    sys.modules["matplotlib.collections"].PatchCollection = None
    sys.modules["matplotlib.patches"].Polygon = None
    try:
        import pycocotools.mask  # noqa: F401
    except ImportError:
        sys.modules["pycocotools.mask"] = types.ModuleType("pycocotools.mask")

from pycocotools.coco import COCO  # noqa: E402
from pycocotools.cocoeval import COCOeval  # noqa: E402


def corners(x, y, w, h, dx=0, dy=0):
    return [x + dx, y + dy, x + dx, y + h + dy, x + w + dx, y + h + dy, x + w + dx, y + dy]


class Case:
    def __init__(self):
        self.images, self.anns, self.dets = [], [], []

    def img(self, *ids):
        self.images += [{"id": i, "file_name": f"{i}.jpg", "width": 640, "height": 480} for i in ids]
        return self

    def gt(self, image, x, y, w, h, points=None, crowd=False, area=None):
        kp = [0] * 12 if points is None else [v for k in range(4) for v in (points[2 * k], points[2 * k + 1], 2)]
        self.anns.append({"id": len(self.anns) + 1, "image_id": image, "category_id": 1, "bbox": [x, y, w, h],
                          "area": area if area is not None else w * h, "iscrowd": int(crowd),
                          "keypoints": kp, "num_keypoints": 0 if points is None else 4})
        return self

    def det(self, image, score, points):
        kp = [v for k in range(4) for v in (points[2 * k], points[2 * k + 1], 1)]
        self.dets.append({"image_id": image, "category_id": 1, "keypoints": kp, "score": score})
        return self

    def run(self, sigmas=(0.05, 0.05, 0.05, 0.05)):
        gt = {"images": self.images, "annotations": self.anns,
              "categories": [{"id": 1, "name": "a", "keypoints": ["tl", "bl", "br", "tr"], "skeleton": []}]}
        with tempfile.TemporaryDirectory() as d, contextlib.redirect_stdout(io.StringIO()):
            path = os.path.join(d, "gt.json")
            with open(path, "w") as f:
                json.dump(gt, f)
            coco = COCO(path)
            e = COCOeval(coco, coco.loadRes(self.dets), "keypoints")
            e.params.kpt_oks_sigmas = np.array(sigmas)
            e.evaluate()
            e.accumulate()
            e.summarize()
        return [float(v) for v in e.stats[:6]]


CASES = {
    "Small_medium_and_large_objects_split_by_area_range": lambda: Case().img(1, 2, 3)
        .gt(1, 10, 10, 20, 20, corners(10, 10, 20, 20)).det(1, 0.9, corners(10, 10, 20, 20))
        .gt(2, 10, 10, 50, 50, corners(10, 10, 50, 50)).det(2, 0.8, corners(10, 10, 50, 50, dx=4))
        .gt(3, 10, 10, 100, 100, corners(10, 10, 100, 100)).det(3, 0.7, corners(10, 10, 100, 100, dy=10)).run(),
    "Crowd_regions_absorb_any_number_of_detections": lambda: Case().img(1)
        .gt(1, 300, 300, 100, 60, crowd=True).gt(1, 10, 10, 60, 30, corners(10, 10, 60, 30))
        .det(1, 0.95, corners(310, 310, 40, 20)).det(1, 0.93, corners(330, 320, 40, 20))
        .det(1, 0.9, corners(10, 10, 60, 30)).run(),
    "Objects_without_corners_are_ignored_but_matched_only_once": lambda: Case().img(1)
        .gt(1, 300, 300, 100, 60).gt(1, 10, 10, 60, 30, corners(10, 10, 60, 30))
        .det(1, 0.95, corners(310, 310, 40, 20)).det(1, 0.93, corners(330, 320, 40, 20))
        .det(1, 0.9, corners(10, 10, 60, 30)).run(),
    "Unmatched_ground_truth_and_detections": lambda: Case().img(1, 2, 3)
        .gt(1, 0, 0, 40, 40, corners(0, 0, 40, 40)).det(1, 0.6, corners(0, 0, 40, 40))
        .gt(2, 0, 0, 40, 40, corners(0, 0, 40, 40)).det(3, 0.9, corners(0, 0, 40, 40)).run(),
    "Per_corner_sigmas (default)": lambda: Case().img(1)
        .gt(1, 0, 0, 100, 100, corners(0, 0, 100, 100)).det(1, 0.5, [0, 0, 0, 100, 120, 100, 120, 0]).run(),
    "Per_corner_sigmas (0.05, 0.05, 0.1, 0.1)": lambda: Case().img(1)
        .gt(1, 0, 0, 100, 100, corners(0, 0, 100, 100)).det(1, 0.5, [0, 0, 0, 100, 120, 100, 120, 0])
        .run((0.05, 0.05, 0.1, 0.1)),
    "Oks_uses_the_ground_truth_area_field": lambda: Case().img(1)
        .gt(1, 10, 10, 50, 50, corners(10, 10, 50, 50), area=10000).det(1, 0.8, corners(10, 10, 50, 50, dx=4)).run(),
}

if __name__ == "__main__":
    for name, case in CASES.items():
        print(f"{name}: " + ", ".join(repr(v) for v in case()))
