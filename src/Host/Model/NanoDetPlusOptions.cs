using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace NanoDet.Host.Model;

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
    /// Run the network on channels-last activations. Off by default: with the exact (SSE4.1) oneDNN kernels it is
    /// slower for this network on CPU, and with AVX2/AVX-512 kernels it hits the wrong-result cases described in
    /// <c>LibtorchEnvironment</c> on some machines.
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
