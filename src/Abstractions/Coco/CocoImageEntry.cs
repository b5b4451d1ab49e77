namespace NanoDet.Abstractions.Coco;

/// <summary>One entry of a COCO file's <c>images</c> list; fields that are absent or of the wrong kind are null.</summary>
/// <param name="Index">Position in the list.</param>
/// <param name="Offset">Byte offset of the entry.</param>
/// <param name="Id"><c>id</c> (an integer; 1.0 counts as 1).</param>
/// <param name="FileName"><c>file_name</c>.</param>
/// <param name="Width"><c>width</c>.</param>
/// <param name="Height"><c>height</c>.</param>
public sealed record CocoImageEntry(int Index, long Offset, int? Id, string? FileName, int? Width, int? Height);
