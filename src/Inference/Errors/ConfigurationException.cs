namespace NanoDet.Inference.Errors;

/// <summary>
/// A configuration or usage error: the CLI prints the message as one line and exits with code 2.
/// Messages name the key path (e.g. <c>model:arch:backbone:name</c>) or the file and line at fault.
/// </summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(string message) : base(message) { }
    public ConfigurationException(string message, Exception inner) : base(message, inner) { }
}
