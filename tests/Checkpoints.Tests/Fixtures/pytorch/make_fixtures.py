#!/usr/bin/env python3
"""Generates the PyTorch checkpoint fixtures used by tests/Host.Tests/Weights/PyTorch.

Run ONCE from any directory with Debian's torch 1.13 (the files are committed):

    /usr/bin/python3 tests/Checkpoints.Tests/Fixtures/pytorch/make_fixtures.py

It writes small checkpoints produced by real torch.save (every dtype, bare / wrapped / Lightning-like /
pre-Lightning layouts, non-contiguous and shared storages, pickle protocols 2, 4 and 5), files crafted to
look like newer torch versions (byteorder record, _rebuild_tensor_v3, tensor metadata, _rebuild_from_type_v2),
files that must be refused (legacy non-zip format, TorchScript, a whole pickled nn.Module, a safetensors file,
a truncated zip, a missing storage, an out-of-bounds view) and MALICIOUS pickles. Every malicious payload is
proven live here: Python's own pickle/torch.load (weights_only=False) runs it in a subprocess and the marker
file it creates is checked and removed again. The C# tests assert that the marker never appears.

expected.json records, for every loadable fixture, the layout, weight source, epoch/step and every tensor of
the final state dict (after the NanoDet loading rule: avg_model.* overwrite model.*, then module./model.
prefixes are stripped) as dtype, shape and the exact little-endian bytes of the contiguous tensor.
Nothing here imports NanoDet or any other fetched code.
"""
import collections
import copy
import io
import json
import math
import os
import pickle
import struct
import subprocess
import sys
import zipfile

import numpy as np
import torch
import torch.nn as nn

OUT = os.path.dirname(os.path.abspath(__file__))
EXPECTED = collections.OrderedDict()
REJECTED = collections.OrderedDict()


def out(name):
    return os.path.join(OUT, name)


def marker(name):
    # Absolute so the C# test can look for it wherever it runs.
    return f"/tmp/nanodet-pytorch-fixture-pwned-{name}"


# ----------------------------------------------------------------------------------------------------------
# Expectations
# ----------------------------------------------------------------------------------------------------------

DTYPE_NAMES = {
    torch.float32: "float32", torch.float16: "float16", torch.bfloat16: "bfloat16", torch.int64: "int64",
    torch.float64: "float64", torch.int32: "int32", torch.int16: "int16", torch.int8: "int8",
    torch.uint8: "uint8", torch.bool: "bool", torch.complex64: "complex64", torch.complex128: "complex128",
}


def tensor_bytes(t):
    """Little-endian bytes of the contiguous tensor (what the C# reader must produce)."""
    t = t.detach().contiguous().reshape(-1)
    if t.is_complex():
        t = torch.view_as_real(t).reshape(-1)
    return t.view(torch.uint8).numpy().tobytes()


def describe(name, t):
    return {"name": name, "dtype": DTYPE_NAMES[t.dtype], "shape": list(t.shape), "hex": tensor_bytes(t).hex()}


def expect(fixture, tensors, layout, weights, epoch=None, global_step=None, lightning_version=None,
           stripped=(), skipped=()):
    EXPECTED[fixture] = {
        "layout": layout,
        "weights": weights,
        "epoch": epoch,
        "global_step": global_step,
        "lightning_version": lightning_version,
        "stripped_prefixes": list(stripped),
        "skipped_entries": list(skipped),
        "tensors": [describe(k, v) for k, v in tensors.items()],
    }


def reject(fixture, contains, marker_path=None):
    REJECTED[fixture] = {"contains": contains, "marker": marker_path}


def nanodet_rule(state_dict, prefer_ema=True):
    """NanoDet's loading rule (docs/reference.md#weight-names-and-checkpoint-loading), written here independently: avg_model.* overwrite model.* in place, then strip
    module. / model. from the keys that carry it when the first key does."""
    ordered = collections.OrderedDict((k, v) for k, v in state_dict.items() if not k.startswith("avg_model."))
    if prefer_ema:
        for k, v in state_dict.items():
            if k.startswith("avg_model."):
                ordered[k[4:]] = v  # an existing model.* key keeps its position, a new one goes last
    stripped = []
    for prefix in ("module.", "model."):
        keys = list(ordered.keys())
        if keys and keys[0].startswith(prefix):
            stripped.append(prefix)
            ordered = collections.OrderedDict(
                (k[len(prefix):] if k.startswith(prefix) else k, v) for k, v in ordered.items())
    return ordered, stripped


# ----------------------------------------------------------------------------------------------------------
# A tiny network with NanoDet-Plus's module names (backbone, fpn, head, aux_fpn, aux_head)
# ----------------------------------------------------------------------------------------------------------

class ConvBN(nn.Module):
    def __init__(self, cin, cout, k=1, groups=1):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, padding=k // 2, groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        return torch.relu(self.bn(self.conv(x)))


class Scale(nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(torch.tensor(1.0))


class Integral(nn.Module):
    def __init__(self, reg_max=7):
        super().__init__()
        self.register_buffer("project", torch.linspace(0, reg_max, reg_max + 1))


class TinyFpn(nn.Module):
    def __init__(self):
        super().__init__()
        self.reduce_layers = nn.ModuleList([ConvBN(4, 4)])

    def forward(self, x):
        return self.reduce_layers[0](x)


class TinyHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.distribution_project = Integral()
        self.cls_convs = nn.ModuleList([nn.Sequential(ConvBN(4, 4, 3, groups=4))])
        self.gfl_cls = nn.ModuleList([nn.Conv2d(4, 6, 1)])

    def forward(self, x):
        return self.gfl_cls[0](self.cls_convs[0](x))


class TinyAuxHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.gfl_cls = nn.Conv2d(8, 2, 3, padding=1)
        self.gn = nn.GroupNorm(2, 8)
        self.scales = nn.ModuleList([Scale()])

    def forward(self, x):
        return self.gfl_cls(self.gn(x)) * self.scales[0].scale


class TinyNanoDet(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = nn.Module()
        self.backbone.conv1 = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1, bias=False), nn.BatchNorm2d(4))
        self.fpn = TinyFpn()
        self.head = TinyHead()
        self.aux_fpn = copy.deepcopy(self.fpn)
        self.aux_head = TinyAuxHead()

    def forward(self, x):
        f = torch.relu(self.backbone.conv1(x))
        p = self.fpn(f)
        a = self.aux_fpn(f)
        return self.head(p).sum() + self.aux_head(torch.cat([p, a], 1)).sum()


class Task(nn.Module):
    """Stands in for NanoDet's LightningModule: members model and (optionally) avg_model, in that order."""

    def __init__(self, model, avg_model=None):
        super().__init__()
        self.model = model
        if avg_model is not None:
            self.avg_model = avg_model


def trained_model_and_optimizer():
    torch.manual_seed(20240607)
    model = TinyNanoDet()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.999), weight_decay=0.05)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=300, eta_min=5e-5)
    model.train()
    for _ in range(3):
        opt.zero_grad()
        loss = model(torch.randn(2, 3, 5, 5))
        loss.backward()
        opt.step()
        sched.step()
    return model, opt, sched


def ema_copy(model):
    """A deliberately different copy so the EMA preference is observable in every entry."""
    avg = copy.deepcopy(model)
    with torch.no_grad():
        for v in avg.state_dict().values():
            if v.dtype.is_floating_point:
                v.mul_(0.5).add_(0.25)
            else:
                v.add_(100)
    return avg


# ----------------------------------------------------------------------------------------------------------
# Helpers for crafted archives and pickles
# ----------------------------------------------------------------------------------------------------------

def zip_entry(name):
    """A fixed timestamp keeps re-generated files byte-identical."""
    return zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))


def write_zip(path, records, folder="archive"):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for name, data in records:
            z.writestr(zip_entry(f"{folder}/{name}"), data)


def crafted(path, pickle_bytes):
    write_zip(path, [("data.pkl", pickle_bytes), ("version", b"3\n")])


def binunicode(s):
    b = s.encode("utf-8")
    return b"X" + struct.pack("<I", len(b)) + b


def prove_live(path, how, marker_path):
    """Runs the payload with Python's own unpickler in a subprocess and checks that the marker appears."""
    if os.path.exists(marker_path):
        os.remove(marker_path)
    if how == "torch":
        code = "import sys, torch; torch.load(sys.argv[1], weights_only=False)"
    elif how == "zip-pickle":
        code = ("import sys, zipfile, pickle; z = zipfile.ZipFile(sys.argv[1]); "
                "pickle.loads(z.read([n for n in z.namelist() if n.endswith('data.pkl')][0]))")
    else:
        code = "import sys, pickle; pickle.loads(open(sys.argv[1], 'rb').read())"
    subprocess.run([sys.executable, "-c", code, path], capture_output=True)
    if not os.path.exists(marker_path):
        raise SystemExit(f"payload of {path} did not run under Python: the fixture would prove nothing")
    os.remove(marker_path)
    # PyTorch's own safe loader must refuse it too (sanity check of the fixture, not of our code).
    if how == "torch" or how == "zip-pickle":
        try:
            torch.load(path, weights_only=True)
        except Exception:
            pass
        else:
            raise SystemExit(f"torch.load(weights_only=True) accepted {path}")
        if os.path.exists(marker_path):
            raise SystemExit("weights_only=True executed the payload?!")


class System:
    """Pickles as posix.system(cmd) (os.system's real home on Linux)."""

    def __init__(self, cmd):
        self.cmd = cmd

    def __reduce__(self):
        return (os.system, (self.cmd,))


class CheckCall:
    def __init__(self, argv):
        self.argv = argv

    def __reduce__(self):
        return (subprocess.check_call, (self.argv,))


class Reduce:
    """Pickles as callable(*args): used to emit torch rebuild calls with chosen arguments."""

    def __init__(self, fn, args):
        self.fn, self.args = fn, args

    def __reduce__(self):
        return (self.fn, self.args)


def lightning_class(module, name):
    """A class pickled as module.name, registered under a stand-in module (for Lightning names)."""
    import types
    parts = module.split(".")
    for i in range(1, len(parts) + 1):
        sys.modules.setdefault(".".join(parts[:i]), types.ModuleType(".".join(parts[:i])))
    cls = type(name, (), {"__module__": module})
    setattr(sys.modules[module], name, cls)
    return cls


def fake_global(module, name):
    """A placeholder function pickled as module.name (for torch 2.x rebuild functions 1.13 lacks)."""
    mod = sys.modules[module]

    def fn(*args):
        raise RuntimeError("placeholder")

    fn.__module__, fn.__qualname__, fn.__name__ = module, name, name
    setattr(mod, name, fn)
    return fn


# ----------------------------------------------------------------------------------------------------------
# Loadable fixtures
# ----------------------------------------------------------------------------------------------------------

def make_dtypes():
    g = torch.Generator().manual_seed(7)
    f32 = torch.tensor([0.0, -0.0, math.inf, -math.inf, math.nan, 1e-45, 3.4028235e38, -1.5])
    sd = collections.OrderedDict()
    sd["float32"] = torch.randn(2, 3, generator=g)
    sd["float32_special"] = f32
    sd["float16"] = torch.cat([torch.randn(4, generator=g), torch.tensor([65504.0, 6e-8, math.inf])]).half()
    sd["bfloat16"] = torch.cat([torch.randn(5, generator=g), torch.tensor([3.0e38, -math.inf])]).bfloat16()
    sd["int64"] = torch.tensor([[-(2 ** 63), 2 ** 63 - 1], [0, 42], [-7, 123456789012345]], dtype=torch.int64)
    sd["float64"] = torch.randn(3, generator=g, dtype=torch.float64)
    sd["int32"] = torch.tensor([-(2 ** 31), 2 ** 31 - 1, 5], dtype=torch.int32)
    sd["int16"] = torch.tensor([-32768, 32767], dtype=torch.int16)
    sd["int8"] = torch.tensor([-128, 127, 0], dtype=torch.int8)
    sd["uint8"] = torch.tensor([0, 255, 17], dtype=torch.uint8)
    sd["bool"] = torch.tensor([True, False, True])
    sd["complex64"] = torch.tensor([1 + 2j, -0.5j], dtype=torch.complex64)
    sd["complex128"] = torch.tensor([3 - 4j], dtype=torch.complex128)
    sd["scalar"] = torch.tensor(2.5)
    sd["num_batches_tracked"] = torch.tensor(17, dtype=torch.int64)
    sd["empty"] = torch.zeros(0, 3)
    torch.save(sd, out("dtypes.pth"))
    expect("dtypes.pth", sd, "StateDict", "AsStored")


def make_state_dict_layouts(model, opt, avg):
    raw = model.state_dict()
    torch.save(raw, out("state_dict_bare.pth"))
    expect("state_dict_bare.pth", raw, "StateDict", "AsStored")

    ema = avg.state_dict()
    torch.save({"state_dict": ema}, out("state_dict_wrapped.pth"))  # like model_best/nanodet_model_best.pth
    expect("state_dict_wrapped.pth", ema, "WrappedStateDict", "AsStored")

    # Pre-Lightning NanoDet (util/check_point.save_model under DataParallel): module. prefix, epoch, iter.
    legacy_sd = collections.OrderedDict(("module." + k, v) for k, v in raw.items())
    torch.save({"epoch": 3, "state_dict": legacy_sd, "iter": 99, "optimizer": opt.state_dict()},
               out("nanodet_legacy.pth"))
    final, stripped = nanodet_rule(legacy_sd)
    expect("nanodet_legacy.pth", final, "LegacyNanoDet", "Raw", epoch=3, global_step=99, stripped=stripped)

    # The same weights saved with newer pickle protocols (FRAME, MEMOIZE, STACK_GLOBAL, SHORT_BINUNICODE).
    torch.save(raw, out("state_dict_protocol4.pth"), pickle_protocol=4)
    expect("state_dict_protocol4.pth", raw, "StateDict", "AsStored")
    torch.save(raw, out("state_dict_protocol5.pth"), pickle_protocol=5)
    expect("state_dict_protocol5.pth", raw, "StateDict", "AsStored")


def lightning_checkpoint(task, opt, sched, epoch, step):
    callback_key = ("ModelCheckpoint{'monitor': None, 'mode': 'min', 'every_n_train_steps': 0, "
                    "'every_n_epochs': 1, 'train_time_interval': None}")
    progress = {"total": {"ready": step, "completed": step, "started": step, "processed": step},
                "current": {"ready": 2, "completed": 2, "started": 2, "processed": 2}}
    return {
        "epoch": epoch,
        "global_step": step,
        "pytorch-lightning_version": "1.9.5",
        "state_dict": task.state_dict(),
        "loops": {
            "fit_loop": {
                "state_dict": {},
                "epoch_loop.state_dict": {"_batches_that_stepped": step},
                "epoch_loop.batch_progress": dict(progress, is_last_batch=False),
                "epoch_progress": progress,
            },
            "validate_loop": {"state_dict": {}, "dataloader_progress": progress},
        },
        "callbacks": {
            callback_key: {
                "monitor": None, "best_model_score": None, "best_model_path": "", "current_score": None,
                "dirpath": "/workspace/nanodet/lightning_logs/version_0/checkpoints", "best_k_models": {},
                "kth_best_model_path": "", "kth_value": torch.tensor(math.inf), "last_model_path": "",
            }
        },
        "optimizer_states": [opt.state_dict()],
        "lr_schedulers": [sched.state_dict()],
    }


def make_lightning(model, opt, sched, avg):
    task = Task(model, avg)
    ckpt = lightning_checkpoint(task, opt, sched, epoch=7, step=1234)
    torch.save(ckpt, out("lightning.ckpt"))
    final, stripped = nanodet_rule(ckpt["state_dict"])
    expect("lightning.ckpt", final, "Lightning", "Ema", epoch=7, global_step=1234, lightning_version="1.9.5",
           stripped=stripped)
    # The same file read with the EMA preference off must give the raw weights (== state_dict_bare.pth).
    raw_final, _ = nanodet_rule(ckpt["state_dict"], prefer_ema=False)
    assert all(torch.equal(raw_final[k], v) for k, v in model.state_dict().items())

    plain = lightning_checkpoint(Task(model), opt, sched, epoch=2, step=300)
    torch.save(plain, out("lightning_raw.ckpt"))
    final, stripped = nanodet_rule(plain["state_dict"])
    expect("lightning_raw.ckpt", final, "Lightning", "Raw", epoch=2, global_step=300, lightning_version="1.9.5",
           stripped=stripped)

    # Lightning <= 1.4 keyed callback states by the callback's class, so the pickle names a Lightning class
    # (as a dict key, never called). Emulated with a stand-in module of the same name (Lightning is not installed).
    ckpt14 = lightning_checkpoint(task, opt, sched, epoch=5, step=700)
    ckpt14["pytorch-lightning_version"] = "1.4.9"
    ckpt14["callbacks"] = {lightning_class("pytorch_lightning.callbacks.model_checkpoint", "ModelCheckpoint"):
                           next(iter(ckpt14["callbacks"].values()))}
    torch.save(ckpt14, out("lightning_pl14.ckpt"))
    final, stripped = nanodet_rule(ckpt14["state_dict"])
    expect("lightning_pl14.ckpt", final, "Lightning", "Ema", epoch=5, global_step=700, lightning_version="1.4.9",
           stripped=stripped)

    # EMA snapshot covering only part of the model: the rest keeps the raw weights.
    partial = lightning_checkpoint(task, opt, sched, epoch=9, step=1500)
    partial["state_dict"] = collections.OrderedDict(
        (k, v) for k, v in partial["state_dict"].items() if not k.startswith("avg_model.aux_"))
    torch.save(partial, out("lightning_mixed.ckpt"))
    final, stripped = nanodet_rule(partial["state_dict"])
    expect("lightning_mixed.ckpt", final, "Lightning", "Mixed", epoch=9, global_step=1500,
           lightning_version="1.9.5", stripped=stripped)


def make_views():
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6)
    sd = collections.OrderedDict()
    sd["transposed"] = base.t()                      # strides (1, 6)
    sd["sliced"] = base[1:3, 2:5]                    # offset 8, strides (6, 1)
    sd["every_other_column"] = base[:, ::2]          # strides (6, 2)
    sd["expanded"] = torch.tensor([1.0, 2.0, 3.0]).expand(4, 3)   # stride 0
    sd["channels_last"] = torch.arange(12, dtype=torch.float16).reshape(1, 3, 2, 2).to(
        memory_format=torch.channels_last)
    sd["element"] = base[2, 3]                       # 0-d view with offset 15
    sd["int64_column"] = torch.arange(12, dtype=torch.int64).reshape(3, 4)[:, 1]
    for k, v in sd.items():
        if k != "channels_last":
            assert not v.is_contiguous() or v.dim() == 0 or v.storage_offset() > 0, k
    torch.save(sd, out("noncontiguous.pth"))
    expect("noncontiguous.pth", sd, "StateDict", "AsStored")

    shared = torch.arange(10, dtype=torch.float32) * 0.5
    sd = collections.OrderedDict()
    sd["whole"] = shared
    sd["head"] = shared[:4]
    sd["tail"] = shared[4:]
    sd["alias"] = shared                             # same object: pickled once, referenced from the memo
    sd["reshaped"] = shared.view(2, 5)
    torch.save(sd, out("shared_storage.pth"))
    expect("shared_storage.pth", sd, "StateDict", "AsStored")


def make_parameters():
    torch.manual_seed(3)
    sd = collections.OrderedDict()
    sd["weight"] = nn.Parameter(torch.randn(2, 2))                       # _rebuild_parameter
    sd["frozen"] = nn.Parameter(torch.randn(3), requires_grad=False)
    sd["leaf"] = torch.randn(2, requires_grad=True)                      # requires_grad=True tensor
    torch.save(sd, out("parameters.pth"))
    expect("parameters.pth", sd, "StateDict", "AsStored")


def make_plain_data():
    """Everything a Lightning checkpoint's other entries may hold, in protocols 2 and 4."""
    obj = collections.OrderedDict()
    obj["int_small"] = 7
    obj["int_negative"] = -300
    obj["int_max32"] = 2 ** 31 - 1
    obj["int_big"] = 2 ** 70 + 5
    obj["int_negative_big"] = -(2 ** 64)
    obj["float"] = 0.1
    obj["float_inf"] = math.inf
    obj["none"] = None
    obj["true"] = True
    obj["false"] = False
    obj["str"] = "h\u00e9llo \u2713"
    obj["bytes"] = b"\x00\xffab"
    obj["empty_bytes"] = b""
    obj["tuple"] = (1, "a", (2.5, None))
    obj["list"] = [1, [2, 3], {}]
    obj["set"] = {3, 1}
    obj["frozenset"] = frozenset({"x"})
    obj["complex"] = 1.5 - 2j
    obj["int_keys"] = {0: "a", 1: "b"}
    obj["np_float64"] = np.float64(0.25)
    obj["np_float32"] = np.float32(1.5)
    obj["np_int64"] = np.int64(-5)
    obj["np_bool"] = np.bool_(True)
    obj["size"] = torch.Size([2, 3])
    obj["device_cpu"] = torch.device("cpu")
    obj["device_cuda"] = torch.device("cuda", 1)
    obj["dtype"] = torch.float16
    obj["tensor"] = torch.arange(3)
    for protocol in (2, 4):
        name = f"plain_data_protocol{protocol}.pth"
        torch.save(obj, out(name), pickle_protocol=protocol)
        expect(name, collections.OrderedDict(tensor=obj["tensor"]), "StateDict", "AsStored",
               skipped=[k for k in obj if k != "tensor"])


def make_self_reference():
    loop = []
    loop.append(loop)
    d = {"a": 1}
    d["self"] = d
    sd = collections.OrderedDict(weight=torch.ones(2), loop=loop, cycle=d)
    torch.save(sd, out("self_reference.pth"))
    expect("self_reference.pth", collections.OrderedDict(weight=sd["weight"]), "StateDict", "AsStored",
           skipped=["loop", "cycle"])


def make_torch2_constructs():
    """Constructs newer torch versions write, emitted through torch 1.13's own pickler and storage writer."""
    v3 = fake_global("torch._utils", "_rebuild_tensor_v3")
    with_state = fake_global("torch._utils", "_rebuild_parameter_with_state")
    hooks = collections.OrderedDict
    a = torch.tensor([1.0, -2.0, 3.5])
    b = torch.tensor([10.0, 20.0, 30.0, 40.0])
    c = torch.tensor([[1, 2], [3, 4]], dtype=torch.int32)
    sd = collections.OrderedDict()
    sd["from_type"] = Reduce(torch._tensor._rebuild_from_type_v2, (
        torch._utils._rebuild_tensor_v2, torch.Tensor,
        (a.storage(), 0, (3,), (1,), False, hooks()), {}))
    sd["neg_bit"] = Reduce(torch._utils._rebuild_tensor_v2, (a.storage(), 1, (2,), (1,), False, hooks(),
                                                              {"neg": True}))
    sd["v3_untyped"] = Reduce(v3, (b.storage()._storage, 1, (2, 1), (1, 1), False, hooks(), torch.float32))
    sd["param_with_state"] = Reduce(with_state, (
        Reduce(torch._utils._rebuild_tensor_v2, (c.storage(), 0, (2, 2), (1, 2), False, hooks())),
        True, hooks(), {"tag": "kept-as-data"}))
    path = out("torch2_constructs.pth")
    torch.save(sd, path)
    # Records torch >= 2.1 adds beside data.pkl.
    with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as z:
        folder = z.namelist()[0].split("/")[0]
        z.writestr(zip_entry(f"{folder}/byteorder"), b"little")
        z.writestr(zip_entry(f"{folder}/.data/serialization_id"), b"1234567890")
    final = collections.OrderedDict()
    final["from_type"] = a
    final["neg_bit"] = -a[1:3]
    final["v3_untyped"] = b[1:3].reshape(2, 1)
    final["param_with_state"] = c.t()
    expect("torch2_constructs.pth", final, "StateDict", "AsStored")


def make_big_endian():
    """A big-endian writer's file: byteorder record 'big', every storage element byte-swapped."""
    sd = collections.OrderedDict()
    sd["f32"] = torch.tensor([1.0, -2.5, 1e-3])
    sd["f16"] = torch.tensor([0.5, -65504.0], dtype=torch.float16)
    sd["bf16"] = torch.tensor([1.5, -3.0], dtype=torch.bfloat16)
    sd["i64"] = torch.tensor([1, -2, 2 ** 40], dtype=torch.int64)
    sd["c64"] = torch.tensor([1 - 1j], dtype=torch.complex64)
    sd["flag"] = torch.tensor([True, False])
    buf = io.BytesIO()
    torch.save(sd, buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    folder = src.namelist()[0].split("/")[0]
    # torch numbers storages in the order it meets them: key i belongs to the i-th tensor.
    sizes = {str(i): (t.element_size() if not t.is_complex() else t.element_size() // 2)
             for i, t in enumerate(sd.values())}
    records = []
    for name in src.namelist():
        data = src.read(name)
        rel = name[len(folder) + 1:]
        if rel.startswith("data/"):
            key = rel[5:]
            assert data == tensor_bytes(list(sd.values())[int(key)])
            n = sizes[key]
            data = b"".join(data[i:i + n][::-1] for i in range(0, len(data), n))
        records.append((rel, data))
    records.append(("byteorder", b"big"))
    write_zip(out("big_endian.pth"), records)
    expect("big_endian.pth", sd, "StateDict", "AsStored")


# ----------------------------------------------------------------------------------------------------------
# Files that must be refused (not malicious)
# ----------------------------------------------------------------------------------------------------------

def make_refused():
    sd = collections.OrderedDict(weight=torch.ones(2, 2))
    torch.save(sd, out("legacy_format.pth"), _use_new_zipfile_serialization=False)
    reject("legacy_format.pth", ["legacy", "torch.save(torch.load("])

    scripted = torch.jit.script(nn.Linear(2, 2))
    torch.jit.save(scripted, out("torchscript.pt"))
    reject("torchscript.pt", ["TorchScript"])

    torch.manual_seed(0)
    torch.save(nn.Linear(2, 2), out("whole_module.pth"))
    reject("whole_module.pth", ["torch.nn.modules.linear.Linear", "state_dict()"])

    header = json.dumps({"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}).encode()
    with open(out("not_a_checkpoint.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(header)) + header + struct.pack("<f", 1.0))
    reject("not_a_checkpoint.safetensors", ["safetensors"])

    good = io.BytesIO()
    torch.save(collections.OrderedDict(weight=torch.arange(64.0)), good)
    data = good.getvalue()
    with open(out("truncated.pth"), "wb") as f:
        f.write(data[: len(data) // 2])
    reject("truncated.pth", ["zip"])

    # The pickle names storage '0' but the record data/0 is gone.
    src = zipfile.ZipFile(io.BytesIO(data))
    folder = src.namelist()[0].split("/")[0]
    write_zip(out("missing_storage.pth"),
              [(n[len(folder) + 1:], src.read(n)) for n in src.namelist() if not n.endswith("/data/0")])
    reject("missing_storage.pth", ["data/0"])

    # A view reaching 1000 elements into a 4-element storage (would read out of bounds).
    hooks = collections.OrderedDict
    oob = Reduce(torch._utils._rebuild_tensor_v2, (torch.zeros(4).storage(), 0, (1000,), (1,), False, hooks()))
    torch.save(collections.OrderedDict(weight=oob), out("out_of_bounds_view.pth"))
    reject("out_of_bounds_view.pth", ["outside", "storage"])

    # A string length of 2^62 bytes: must fail cleanly, not try to allocate.
    crafted(out("oversized_length.pth"), b"\x80\x04\x8d" + struct.pack("<Q", 2 ** 62) + b"abc.")
    reject("oversized_length.pth", ["past the end"])

    # A raw pickle stream that is not a zip at all.
    with open(out("raw_pickle.pkl"), "wb") as f:
        f.write(pickle.dumps({"weight": [1.0, 2.0]}, protocol=2))
    reject("raw_pickle.pkl", ["not a PyTorch zip checkpoint"])


# ----------------------------------------------------------------------------------------------------------
# Malicious pickles: each payload is proven live against Python, then must be refused by the C# reader
# ----------------------------------------------------------------------------------------------------------

def make_malicious(model, opt, sched, avg):
    # 1. os.system through GLOBAL + REDUCE, hand-assembled (module spelled 'os').
    m = marker("os-system")
    crafted(out("evil_os_system.pth"),
            b"\x80\x02cos\nsystem\n" + binunicode(f"touch {m}") + b"\x85R.")
    prove_live(out("evil_os_system.pth"), "zip-pickle", m)
    reject("evil_os_system.pth", ["os.system", "allow-list"], m)

    # 2. builtins.eval.
    m = marker("eval")
    crafted(out("evil_builtins_eval.pth"),
            b"\x80\x02cbuiltins\neval\n" + binunicode(f"__import__('os').system('touch {m}')") + b"\x85R.")
    prove_live(out("evil_builtins_eval.pth"), "zip-pickle", m)
    reject("evil_builtins_eval.pth", ["builtins.eval"], m)

    # 3. posix.system nested under an allowed container, next to a genuine tensor, written by torch.save.
    m = marker("nested")
    torch.save(collections.OrderedDict(weight=torch.ones(2), bias=System(f"touch {m}")),
               out("evil_nested_posix_system.pth"))
    prove_live(out("evil_nested_posix_system.pth"), "torch", m)
    reject("evil_nested_posix_system.pth", ["posix.system"], m)

    # 4. subprocess.check_call reached through STACK_GLOBAL (protocol 4) inside a state_dict wrapper.
    m = marker("subprocess")
    torch.save({"state_dict": collections.OrderedDict(weight=torch.ones(2), x=CheckCall(["touch", m]))},
               out("evil_subprocess_stack_global.pth"), pickle_protocol=4)
    prove_live(out("evil_subprocess_stack_global.pth"), "torch", m)
    reject("evil_subprocess_stack_global.pth", ["subprocess.check_call"], m)

    # 5. Protocol-0 INST (instantiates module.name(*args) in one opcode).
    m = marker("inst")
    crafted(out("evil_inst.pth"), b"(S'touch " + m.encode() + b"'\nios\nsystem\n.")
    prove_live(out("evil_inst.pth"), "zip-pickle", m)
    reject("evil_inst.pth", ["INST", "os.system"], m)

    # 6. A valid Lightning checkpoint whose callbacks entry (outside state_dict) carries the payload.
    m = marker("lightning")
    ckpt = lightning_checkpoint(Task(model, avg), opt, sched, epoch=1, step=10)
    ckpt["callbacks"]["Evil"] = {"state": System(f"touch {m}")}
    torch.save(ckpt, out("evil_lightning_callbacks.ckpt"))
    prove_live(out("evil_lightning_callbacks.ckpt"), "torch", m)
    reject("evil_lightning_callbacks.ckpt", ["posix.system"], m)

    # 7. BUILD on an allowed global (a function): Python would setattr on it (the first step of
    #    rewriting a trusted function's attributes). Only OrderedDict instances may be BUILD targets.
    crafted(out("evil_build_target.pth"),
            b"\x80\x02ctorch._utils\n_rebuild_tensor_v2\nN}" + binunicode("__module__") + binunicode("x")
            + b"s\x86b.")
    reject("evil_build_target.pth", ["BUILD"])

    # 8. REDUCE on an allowed name that is data-only here: torch.FloatStorage(10**12) would allocate 4 TB.
    crafted(out("evil_reduce_storage.pth"),
            b"\x80\x02ctorch\nFloatStorage\n\x8a\x05" + (10 ** 12).to_bytes(5, "little") + b"\x85R.")
    reject("evil_reduce_storage.pth", ["torch.FloatStorage"])

    # 9. NEWOBJ on a class that is allowed only as an argument.
    crafted(out("evil_newobj.pth"), b"\x80\x02ctorch\nTensor\n)\x81.")
    reject("evil_newobj.pth", ["NEWOBJ", "torch.Tensor"])

    # 10. A raw (non-zip) malicious pickle: must be refused before any parsing of its opcodes.
    m = marker("raw")
    with open(out("evil_raw_pickle.pkl"), "wb") as f:
        f.write(pickle.dumps(System(f"touch {m}"), protocol=2))
    prove_live(out("evil_raw_pickle.pkl"), "raw", m)
    reject("evil_raw_pickle.pkl", ["not a PyTorch zip checkpoint"], m)


def main():
    print(f"torch {torch.__version__}, numpy {np.__version__}, python {sys.version.split()[0]}")
    model, opt, sched = trained_model_and_optimizer()
    avg = ema_copy(model)
    make_dtypes()
    make_state_dict_layouts(model, opt, avg)
    make_lightning(model, opt, sched, avg)
    make_views()
    make_parameters()
    make_plain_data()
    make_self_reference()
    make_torch2_constructs()
    make_big_endian()
    make_refused()
    make_malicious(model, opt, sched, avg)
    with open(out("expected.json"), "w") as f:
        json.dump({"generator": f"torch {torch.__version__}", "loadable": EXPECTED, "rejected": REJECTED},
                  f, indent=1)
        f.write("\n")
    print(f"{len(EXPECTED)} loadable and {len(REJECTED)} refused fixtures written to {OUT}")


if __name__ == "__main__":
    main()
