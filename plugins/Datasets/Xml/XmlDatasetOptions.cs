using Microsoft.Extensions.Configuration;
using NanoDet.Datasets.Common;

namespace NanoDet.Datasets.Xml;

/// <summary>Options of <c>XMLDataset</c>: <c>img_path</c> (images), <c>ann_path</c> (folder of .xml files, searched recursively).</summary>
public sealed class XmlDatasetOptions : DatasetOptions
{
    /// <summary>
    /// Treat VOC <c>&lt;difficult&gt;1</c> objects as crowd/ignore regions (NanoDet trains on them as normal
    /// objects: default false). <c>&lt;iscrowd&gt;1</c> (written by this tool for crowd regions) always is.
    /// </summary>
    [ConfigurationKeyName("difficult_as_crowd")]
    public bool DifficultAsCrowd { get; set; }
}
