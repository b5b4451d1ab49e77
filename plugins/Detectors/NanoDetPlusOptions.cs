using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace NanoDet.Detectors;

/// <summary>
/// Options of the <c>NanoDetPlus</c> arch (section <c>model:arch</c>). The <c>backbone</c>, <c>fpn</c>, <c>head</c> and
/// <c>aux_head</c> sub-sections are plugin sections, bound and validated by those plugins; they are declared here only
/// so they are not reported as unused keys.
/// </summary>
public sealed class NanoDetPlusOptions
{
    /// <summary>0-based epoch from which the aux branch no longer back-propagates into the backbone and main neck.</summary>
    [ConfigurationKeyName("detach_epoch")]
    [Range(0, int.MaxValue)]
    public int DetachEpoch { get; set; } = 10;

    /// <summary>
    /// Run the network on channels-last activations. Off by default: the per-layer kernel choice (docs/kernels.md)
    /// already converts layouts where a kernel is faster in channels-last (1×1 GEMMs, shifted GEMMs), and the
    /// channels-last oneDNN kernels are the ones seen computing wrong results on some machines.
    /// </summary>
    [ConfigurationKeyName("channels_last")]
    public bool ChannelsLast { get; set; }

    [ConfigurationKeyName("backbone")]
    public Dictionary<string, object?>? Backbone { get; set; }

    [ConfigurationKeyName("fpn")]
    public Dictionary<string, object?>? Fpn { get; set; }

    [ConfigurationKeyName("head")]
    public Dictionary<string, object?>? Head { get; set; }

    [ConfigurationKeyName("aux_head")]
    public Dictionary<string, object?>? AuxHead { get; set; }
}
