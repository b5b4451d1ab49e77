namespace NanoDet.Host.Tests.BadInput;

/// <summary>Every kind of file the product reads, as the fuzz corpus groups them.</summary>
public enum FuzzFormat
{
    /// <summary>VOC XML label with points (XMLDataset).</summary>
    Xml,
    /// <summary>COCO JSON with points (CocoDataset).</summary>
    CocoJson,
    /// <summary>SJTU / YOLO-pose txt label (YoloPointsDataset).</summary>
    Txt,
    /// <summary>NanoDet YAML config.</summary>
    YamlConfig,
    /// <summary>JSON config.</summary>
    JsonConfig,
    /// <summary>Weights and checkpoints in safetensors.</summary>
    Safetensors,
    /// <summary>PyTorch zip checkpoint with a pickle (.pth, Lightning .ckpt).</summary>
    PyTorch,
    /// <summary>An exported model loaded by ONNX Runtime.</summary>
    OnnxRuntime,
    /// <summary>An exported model loaded by OpenCV DNN.</summary>
    OnnxOpenCv,
    // Camera calibration files (issue 15) join here: add a member, a valid sample in FuzzReaders.Valid and a reader in
    // FuzzReaders.Read, and give the corpus its malformed cases.
}
