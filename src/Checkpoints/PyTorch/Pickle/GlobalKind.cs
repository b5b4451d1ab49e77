namespace NanoDet.Checkpoints.PyTorch.Pickle;

/// <summary>What an allow-listed Python global stands for; decides which opcodes may use it and how.</summary>
internal enum GlobalKind
{
    /// <summary>collections.OrderedDict: callable with no argument (or one iterable of pairs); BUILD target.</summary>
    OrderedDict,
    /// <summary>builtins.set / frozenset: callable with no argument or one iterable.</summary>
    Set,
    FrozenSet,
    /// <summary>builtins.complex(real, imag).</summary>
    Complex,
    /// <summary>builtins.bytes / bytearray: empty, from a list of ints, or (str, encoding).</summary>
    Bytes,
    /// <summary>_codecs.encode(str, 'latin1'): how protocol 2 writes bytes objects.</summary>
    CodecsEncode,
    RebuildTensor,
    RebuildTensorV2,
    RebuildTensorV3,
    RebuildParameter,
    RebuildParameterWithState,
    RebuildFromTypeV2,
    /// <summary>torch.Tensor / torch.nn.parameter.Parameter: data only (the type argument of _rebuild_from_type_v2).</summary>
    TensorType,
    /// <summary>torch.FloatStorage etc.: data only (inside a storage persistent id).</summary>
    StorageType,
    /// <summary>torch.float32 etc.: data only.</summary>
    Dtype,
    /// <summary>torch.Size(tuple).</summary>
    Size,
    /// <summary>torch.device(type[, index]).</summary>
    Device,
    /// <summary>numpy.dtype(typestr, align, copy), completed by BUILD with its byte order.</summary>
    NumpyDtype,
    /// <summary>numpy.core.multiarray.scalar(dtype, bytes).</summary>
    NumpyScalar,
    /// <summary>
    /// A Lightning callback class (<c>pytorch_lightning.callbacks.*</c>): data only, an inert name. Lightning ≤ 1.4
    /// keyed a checkpoint's callback states by the callback's class.
    /// </summary>
    CallbackClass,
}
