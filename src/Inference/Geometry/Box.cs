using NanoDet.Inference.Errors;

namespace NanoDet.Inference.Geometry;

/// <summary>Axis-aligned box, xyxy in pixels, no +1 convention (width = X2 - X1).</summary>
public readonly record struct Box(float X1, float Y1, float X2, float Y2)
{
    public float Width => X2 - X1;
    public float Height => Y2 - Y1;
    public float Area => Math.Max(0f, Width) * Math.Max(0f, Height);

    /// <summary>From COCO's [x, y, w, h].</summary>
    public static Box FromXywh(float x, float y, float w, float h) => new(x, y, x + w, y + h);

    public bool IsFinite =>
        float.IsFinite(X1) && float.IsFinite(Y1) && float.IsFinite(X2) && float.IsFinite(Y2);
}
