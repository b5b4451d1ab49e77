using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Errors;

namespace NanoDet.Host.Plugins;

/// <summary>
/// Binds an options class from a config section (NanoDet snake_case keys through
/// <see cref="ConfigurationKeyNameAttribute"/>) and validates it. Every error names the full key path and value.
/// </summary>
internal static class OptionsBinder
{
    /// <summary>Binds and validates; <paramref name="unknownKeys"/> receives keys no property consumes.</summary>
    public static object Bind(Type optionsType, IConfigurationSection section, List<string>? unknownKeys = null)
    {
        object value = Activator.CreateInstance(optionsType)
            ?? throw new InvalidOperationException($"cannot create {optionsType}");
        try
        {
            if (section.Exists())
            {
                ClearConfiguredCollections(value, section);
                section.Bind(value, o => o.ErrorOnUnknownConfiguration = false);
            }
        }
        catch (InvalidOperationException e)
        {
            var msg = e.InnerException is { } inner && !e.Message.Contains(section.Path, StringComparison.Ordinal)
                ? $"{e.Message} {inner.Message}"
                : e.Message;
            throw new ConfigurationException($"{section.Path}: {msg.ReplaceLineEndings(" ")}", e);
        }
        Validate(value, section);
        unknownKeys?.AddRange(UnknownKeys(optionsType, section));
        return value;
    }

    public static T Bind<T>(IConfigurationSection section, List<string>? unknownKeys = null) where T : class, new() =>
        (T)Bind(typeof(T), section, unknownKeys);

    /// <summary>
    /// The configuration binder appends configured items to a non-empty default array or list (a default
    /// <c>strides = [8, 16, 32, 64]</c> plus a configured <c>[8, 16, 32]</c> would bind seven strides). A configured
    /// list must replace the default, so collections the section sets are cleared first, recursively.
    /// </summary>
    private static void ClearConfiguredCollections(object options, IConfigurationSection section)
    {
        foreach (var p in BindableProperties(options.GetType()))
        {
            var child = section.GetSection(KeyOf(p));
            if (!child.Exists()) continue;
            if (IsCollection(p.PropertyType))
            {
                if (p.PropertyType.IsArray) p.SetValue(options, Array.CreateInstance(p.PropertyType.GetElementType()!, 0));
                else if (p.GetValue(options) is System.Collections.IList list && !list.IsReadOnly) list.Clear();
                else p.SetValue(options, null);
            }
            else if (IsOptionsObject(p.PropertyType) && p.GetValue(options) is { } nested)
            {
                ClearConfiguredCollections(nested, child);
            }
        }
    }

    /// <summary>The config key a property binds from.</summary>
    public static string KeyOf(PropertyInfo p) => p.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? p.Name;

    /// <summary>Runs DataAnnotations and IValidatableObject recursively; throws on the first failure.</summary>
    public static void Validate(object options, IConfigurationSection section)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            var r = results[0];
            var member = r.MemberNames.FirstOrDefault();
            var prop = member is null ? null : options.GetType().GetProperty(member);
            var key = prop is null ? section.Path : $"{section.Path}:{KeyOf(prop)}";
            var shown = prop is null ? null : Describe(prop.GetValue(options));
            var message = prop is null ? r.ErrorMessage : Explain(prop, prop.GetValue(options), r.ErrorMessage);
            throw new ConfigurationException(
                shown is null ? $"{key}: {message}" : $"{key}: {message} (value: {shown})");
        }
        foreach (var p in BindableProperties(options.GetType()))
        {
            if (!IsOptionsObject(p.PropertyType)) continue;
            var child = p.GetValue(options);
            var childSection = section.GetSection(KeyOf(p));
            if (child is IEnumerable list and not string)
            {
                int i = 0;
                foreach (var item in list)
                    if (item is not null) Validate(item, childSection.GetSection((i++).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
            else if (child is not null)
            {
                Validate(child, childSection);
            }
        }
    }

    /// <summary>
    /// Readable text for the built-in DataAnnotations attribute that rejected <paramref name="value"/> (their own
    /// messages name C# properties); a failure from the options' own <c>Validate</c> keeps its message.
    /// </summary>
    private static string? Explain(PropertyInfo p, object? value, string? fallback)
    {
        if (p.GetCustomAttribute<AllowedValuesAttribute>() is { } allowed && !allowed.IsValid(value))
            return "must be one of " + string.Join(", ", allowed.Values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)));
        if (p.GetCustomAttribute<RangeAttribute>() is { } range && !range.IsValid(value))
            return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"must be between {range.Minimum} and {range.Maximum}");
        if (p.GetCustomAttribute<RequiredAttribute>() is { } required && !required.IsValid(value))
            return "is required";
        return fallback;
    }

    /// <summary>Keys present in the section that no property of <paramref name="type"/> binds (the <c>name</c> key excepted).</summary>
    public static IEnumerable<string> UnknownKeys(Type type, IConfigurationSection section)
    {
        var props = BindableProperties(type).ToDictionary(KeyOf, StringComparer.OrdinalIgnoreCase);
        var shared = type.GetCustomAttribute<SharedSectionAttribute>();
        foreach (var child in section.GetChildren())
        {
            if (string.Equals(child.Key, "name", StringComparison.OrdinalIgnoreCase)) continue;
            if (!props.TryGetValue(child.Key, out var p))
            {
                // A section shared with another plugin (dataset + pipeline): its keys are that plugin's to check.
                if (shared is null || !shared.IsForeign(child.Key)) yield return child.Path;
                continue;
            }
            if (IsOptionsObject(p.PropertyType) && !IsCollection(p.PropertyType))
                foreach (var k in UnknownKeys(p.PropertyType, child)) yield return k;
        }
    }

    private static IEnumerable<PropertyInfo> BindableProperties(Type t) =>
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetIndexParameters().Length == 0);

    private static bool IsCollection(Type t) => t != typeof(string) && typeof(IEnumerable).IsAssignableFrom(t);

    /// <summary>A nested options class (or a collection of them) rather than a scalar or a list of scalars.</summary>
    private static bool IsOptionsObject(Type t)
    {
        if (IsCollection(t))
        {
            var element = t.IsArray ? t.GetElementType() : t.GetGenericArguments().LastOrDefault();
            return element is not null && IsOptionsObject(element);
        }
        return t.IsClass && t != typeof(string) && !t.IsPrimitive;
    }

    private static string? Describe(object? v) => v switch
    {
        null => "null",
        string s => $"'{s}'",
        IEnumerable e => "[" + string.Join(", ", e.Cast<object?>().Select(x => x is IEnumerable and not string ? Describe(x) : Convert.ToString(x, System.Globalization.CultureInfo.InvariantCulture))) + "]",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => v.ToString(),
    };
}
