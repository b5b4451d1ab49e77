using System.IO.Compression;
using NanoDet.Abstractions.Plugins;
using NanoDet.Checkpoints.PyTorch.Pickle;
using NanoDet.Inference.Errors;
using static TorchSharp.torch;

namespace NanoDet.Checkpoints.PyTorch;

/// <summary>
/// A torch.save zip archive: <c>&lt;name&gt;/data.pkl</c> (the pickled object), <c>&lt;name&gt;/data/&lt;key&gt;</c>
/// (raw storage bytes), <c>&lt;name&gt;/version</c> and, since torch 2.1, <c>&lt;name&gt;/byteorder</c>. The folder
/// name varies with the torch version and file name, so it is taken from the data.pkl record.
/// </summary>
internal sealed class TorchZipArchive : IStorageResolver, IDisposable
{
    /// <summary>data.pkl holds only structure (a large model's is a few MB); the cap stops a zip bomb.</summary>
    private const long MaxPickleBytes = 512L << 20;

    private readonly FileStream _file;
    private readonly ZipArchive _zip;
    private readonly Dictionary<string, StorageReference> _storages = new(StringComparer.Ordinal);

    private TorchZipArchive(string path, FileStream file, ZipArchive zip, string prefix)
    {
        Path = path;
        _file = file;
        _zip = zip;
        Prefix = prefix;
    }

    public string Path { get; }

    /// <summary>The records' folder including its slash (e.g. <c>archive/</c>), or empty.</summary>
    public string Prefix { get; }

    public bool BigEndian { get; private set; }

    /// <summary>Content of the <c>version</c> record (torch's serialization format version), if present.</summary>
    public string? FormatVersion { get; private set; }

    /// <summary>Opens and validates the archive layout; the file must already be known to start like a zip.</summary>
    public static TorchZipArchive Open(string path)
    {
        FileStream? file = null;
        ZipArchive? zip = null;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
            var prefix = FindPrefix(path, zip);
            var archive = new TorchZipArchive(path, file, zip, prefix);
            archive.ReadSmallRecords();
            return archive;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            zip?.Dispose();
            file?.Dispose();
            throw new InputDataException($"{path}: damaged zip archive (truncated download or not fully written?): {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            zip?.Dispose();
            file?.Dispose();
            throw new InputDataException($"{path}: cannot read the checkpoint: {e.Message}", e);
        }
        catch
        {
            zip?.Dispose();
            file?.Dispose();
            throw;
        }
    }

    /// <summary>Unpickles data.pkl with the restricted unpickler; tensors come back as <see cref="TensorReference"/>.</summary>
    public object? LoadObjectGraph()
    {
        var entry = _zip.GetEntry(Prefix + "data.pkl")!;
        if (entry.Length > MaxPickleBytes)
            throw new InputDataException($"{Path}: data.pkl declares {entry.Length} bytes, more than any real checkpoint's ({MaxPickleBytes >> 20} MiB at most)");
        var data = new byte[entry.Length];
        try
        {
            using var s = entry.Open();
            s.ReadExactly(data);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
        {
            throw new InputDataException($"{Path}: cannot read record {entry.FullName}: {e.Message}", e);
        }
        return new RestrictedUnpickler(data, Path, this).Load();
    }

    public StorageReference Resolve(string key, ScalarType dtype, long numel, string location)
    {
        if (_storages.TryGetValue(key, out var known))
        {
            if (known.Dtype != dtype)
                throw new InputDataException($"{Path}: storage '{key}' is referenced as both {TorchDtypes.Name(known.Dtype)} and {TorchDtypes.Name(dtype)}");
            return known;
        }
        var name = $"{Prefix}data/{key}";
        var entry = _zip.GetEntry(name)
            ?? throw new InputDataException($"{Path}: data.pkl references storage 'data/{key}', but the archive has no record '{name}' (damaged or crafted file)");
        long bytes;
        try
        {
            bytes = checked(numel * TorchDtypes.ElementSize(dtype));
        }
        catch (OverflowException)
        {
            throw new InputDataException($"{Path}: storage 'data/{key}' declares {numel} elements, which overflows");
        }
        if (entry.Length < bytes)
            throw new InputDataException($"{Path}: record '{name}' holds {entry.Length} bytes, fewer than the {bytes} its storage declares ({numel} × {TorchDtypes.Name(dtype)})");
        var storage = new StorageReference(key, dtype, bytes, location, name);
        _storages[key] = storage;
        return storage;
    }

    /// <summary>Opens the bytes of a storage record (little- or big-endian as <see cref="BigEndian"/> says).</summary>
    public Stream OpenStorage(StorageReference storage) => _zip.GetEntry(storage.RecordName)!.Open();

    public void Dispose()
    {
        _zip.Dispose();
        _file.Dispose();
    }

    private static string FindPrefix(string path, ZipArchive zip)
    {
        var names = zip.Entries.Select(e => e.FullName).ToList();
        var pickles = names.Where(n => n == "data.pkl" || (n.EndsWith("/data.pkl", StringComparison.Ordinal) && n.IndexOf('/') == n.Length - 9)).ToList();
        var first = names.FirstOrDefault() ?? "";
        var firstFolder = first.Contains('/') ? first[..(first.IndexOf('/') + 1)] : "";
        if (names.Any(n => n.StartsWith(firstFolder + "code/", StringComparison.Ordinal)) || names.Contains(firstFolder + "constants.pkl"))
            throw new InputDataException(
                $"{path}: this is a TorchScript archive (torch.jit.save), not a checkpoint: it holds a compiled program. " +
                "Save the weights instead: torch.save(module.state_dict(), 'weights.pth').");
        if (pickles.Count == 0)
            throw new InputDataException($"{path}: a zip archive without a data.pkl record: not a torch.save checkpoint");
        var chosen = pickles.Count == 1 ? pickles[0] : pickles.FirstOrDefault(p => p == firstFolder + "data.pkl") ?? pickles[0];
        return chosen[..^"data.pkl".Length];
    }

    private void ReadSmallRecords()
    {
        var order = ReadText("byteorder");
        BigEndian = order switch
        {
            null or "little" => false,
            "big" => true,
            _ => throw new InputDataException($"{Path}: record {Prefix}byteorder says '{order}', expected 'little' or 'big'"),
        };
        FormatVersion = ReadText("version") ?? ReadText(".data/version");
    }

    private string? ReadText(string record)
    {
        var entry = _zip.GetEntry(Prefix + record);
        if (entry is null) return null;
        if (entry.Length > 1024)
            throw new InputDataException($"{Path}: record {entry.FullName} is {entry.Length} bytes, expected a short text");
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd().Trim();
    }
}
