// Marks chosen symbol-version requirements of an ELF shared library as weak.
//
// Why: TorchSharp 0.107.0's libLibTorchSharp.so asks for GLIBCXX_3.4.32 (GCC 13's libstdc++), while
// Debian 12 and Ubuntu 22.04 ship GCC 12's (up to GLIBCXX_3.4.30). The only symbol bound to that version is
// std::ios_base_library_init, a link-time marker nothing calls. A requirement flagged VER_FLG_WEAK is not
// fatal when the version is missing, and is resolved as usual where it exists, so the patched file works
// on every system. See README.md#native-libraries-cuda-container.
//
// This file is compiled twice: as an MSBuild inline task (build/Libtorch.targets) that patches the copy in
// a project's build or publish output, and into the Host tests (with ELF_PATCHER_NO_TASK defined) so the
// byte-level logic is unit tested. It never touches the NuGet cache: the patched bytes are written to a new
// file that replaces the output copy, which also breaks any hard link to the cache.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace NanoDet.Build
{
#if !ELF_PATCHER_NO_TASK
    /// <summary>MSBuild task: weakens version requirements in every file of <see cref="Files"/>.</summary>
    public sealed class WeakenElfVersionNeeds : Microsoft.Build.Utilities.Task
    {
        [Microsoft.Build.Framework.Required]
        public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

        /// <summary>Semicolon-separated version names, e.g. GLIBCXX_3.4.32.</summary>
        [Microsoft.Build.Framework.Required]
        public string Versions { get; set; } = "";

        public override bool Execute()
        {
            var names = Versions.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries);
            foreach (var item in Files)
            {
                var path = item.ItemSpec;
                if (!File.Exists(path)) continue;
                try
                {
                    var changed = ElfVersionNeedPatcher.PatchFile(path, names);
                    if (changed.Count > 0)
                        Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                            $"nanodet: marked {string.Join(", ", changed)} weak in {path}");
                }
                catch (Exception e)
                {
                    Log.LogError($"nanodet: could not patch {path}: {e.Message}");
                }
            }
            return !Log.HasLoggedErrors;
        }
    }
#endif

    /// <summary>Pure byte-level logic over ELF64 little-endian files.</summary>
    public static class ElfVersionNeedPatcher
    {
        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const ushort VerFlgWeak = 0x2;

        /// <summary>
        /// Sets VER_FLG_WEAK on every Vernaux entry whose name is in <paramref name="versions"/>.
        /// Returns the names newly weakened (empty when nothing needed to change: idempotent).
        /// </summary>
        public static List<string> Patch(byte[] elf, IReadOnlyCollection<string> versions)
        {
            var changed = new List<string>();
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
                throw new InvalidDataException("not an ELF file");
            if (elf[4] != 2 || elf[5] != 1)
                throw new InvalidDataException("only 64-bit little-endian ELF files are supported");

            ulong shoff = U64(elf, 0x28);
            int shentsize = U16(elf, 0x3A);
            int shnum = U16(elf, 0x3C);
            if (shoff == 0 || shnum == 0) return changed;

            for (int i = 0; i < shnum; i++)
            {
                long sh = checked((long)shoff + (long)i * shentsize);
                if (U32(elf, sh + 4) != ShtGnuVerneed) continue;
                long secOffset = (long)U64(elf, sh + 0x18);
                uint strtabIndex = U32(elf, sh + 0x28);
                uint entryCount = U32(elf, sh + 0x2C);
                long strtabSh = checked((long)shoff + (long)strtabIndex * shentsize);
                long strOffset = (long)U64(elf, strtabSh + 0x18);

                long vn = secOffset;
                for (uint n = 0; n < entryCount; n++)
                {
                    int auxCount = U16(elf, vn + 2);
                    long aux = vn + U32(elf, vn + 8);
                    for (int a = 0; a < auxCount; a++)
                    {
                        string name = CString(elf, strOffset + U32(elf, aux + 8));
                        ushort flags = (ushort)U16(elf, aux + 4);
                        if (Contains(versions, name) && (flags & VerFlgWeak) == 0)
                        {
                            flags |= VerFlgWeak;
                            elf[aux + 4] = (byte)(flags & 0xff);
                            elf[aux + 5] = (byte)(flags >> 8);
                            changed.Add(name);
                        }
                        uint next = U32(elf, aux + 12);
                        if (next == 0) break;
                        aux += next;
                    }
                    uint vnNext = U32(elf, vn + 12);
                    if (vnNext == 0) break;
                    vn += vnNext;
                }
            }
            return changed;
        }

        /// <summary>Lists every (version name, weak?) requirement of the file, for tests and diagnostics.</summary>
        public static List<KeyValuePair<string, bool>> ListRequirements(byte[] elf)
        {
            var result = new List<KeyValuePair<string, bool>>();
            ulong shoff = U64(elf, 0x28);
            int shentsize = U16(elf, 0x3A);
            int shnum = U16(elf, 0x3C);
            for (int i = 0; i < shnum; i++)
            {
                long sh = checked((long)shoff + (long)i * shentsize);
                if (U32(elf, sh + 4) != ShtGnuVerneed) continue;
                long secOffset = (long)U64(elf, sh + 0x18);
                long strtabSh = checked((long)shoff + (long)U32(elf, sh + 0x28) * shentsize);
                long strOffset = (long)U64(elf, strtabSh + 0x18);
                uint entryCount = U32(elf, sh + 0x2C);
                long vn = secOffset;
                for (uint n = 0; n < entryCount; n++)
                {
                    int auxCount = U16(elf, vn + 2);
                    long aux = vn + U32(elf, vn + 8);
                    for (int a = 0; a < auxCount; a++)
                    {
                        result.Add(new KeyValuePair<string, bool>(
                            CString(elf, strOffset + U32(elf, aux + 8)), (U16(elf, aux + 4) & VerFlgWeak) != 0));
                        uint next = U32(elf, aux + 12);
                        if (next == 0) break;
                        aux += next;
                    }
                    uint vnNext = U32(elf, vn + 12);
                    if (vnNext == 0) break;
                    vn += vnNext;
                }
            }
            return result;
        }

        /// <summary>Patches a file in place via a temporary file and an atomic rename.</summary>
        public static List<string> PatchFile(string path, IReadOnlyCollection<string> versions)
        {
            var bytes = File.ReadAllBytes(path);
            var changed = Patch(bytes, versions);
            if (changed.Count == 0) return changed;
            var tmp = path + ".nanodet-patch.tmp";
            File.WriteAllBytes(tmp, bytes);
            // Delete + move (not an in-place write) so a hard link into the NuGet cache is never written through.
            // The API set is netstandard2.0's because MSBuild compiles inline tasks against it.
            File.Delete(path);
            File.Move(tmp, path);
            return changed;
        }

        private static bool Contains(IReadOnlyCollection<string> set, string name)
        {
            foreach (var s in set) if (string.Equals(s, name, StringComparison.Ordinal)) return true;
            return false;
        }

        private static int U16(byte[] b, long o) => b[o] | (b[o + 1] << 8);
        private static uint U32(byte[] b, long o) => (uint)(b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24));
        private static ulong U64(byte[] b, long o) => U32(b, o) | ((ulong)U32(b, o + 4) << 32);

        private static string CString(byte[] b, long o)
        {
            long end = o;
            while (end < b.Length && b[end] != 0) end++;
            return Encoding.ASCII.GetString(b, (int)o, (int)(end - o));
        }
    }
}
