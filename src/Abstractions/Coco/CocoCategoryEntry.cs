namespace NanoDet.Abstractions.Coco;

/// <summary>One entry of a COCO file's <c>categories</c> list; fields that are absent or of the wrong kind are null.</summary>
/// <param name="Index">Position in the list.</param>
/// <param name="Offset">Byte offset of the entry.</param>
/// <param name="Id"><c>id</c>.</param>
/// <param name="Name"><c>name</c>.</param>
public sealed record CocoCategoryEntry(int Index, long Offset, int? Id, string? Name);
