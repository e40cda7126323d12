using System.Collections.Concurrent;
using System.Reflection;
using Proctor.Configuration.Models.Schema;
using YamlDotNet.RepresentationModel;

namespace Proctor.Configuration.Binding;

internal enum ShapeKind
{
    Scalar,
    List,
    Map,
    Object,

    /// <summary>A section whose parsing belongs to another library: the binder keeps the YAML node as it is.</summary>
    Node,
}

/// <summary>What a value must look like: a scalar of <see cref="Type"/>, a list or map of <see cref="Item"/>, or an object.</summary>
internal sealed record Shape(ShapeKind Kind, Type Type, SettingAttribute Setting, Shape? Item = null, ObjectSchema? Object = null)
{
    public static Shape For(Type type, SettingAttribute setting)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(YamlNode))
        {
            return new Shape(ShapeKind.Node, type, setting);
        }

        if (ScalarFormats.IsScalar(type))
        {
            return new Shape(ShapeKind.Scalar, type, setting);
        }

        if (type.IsGenericType && type.GetGenericArguments() is [var item] && typeof(IEnumerable<>).MakeGenericType(item).IsAssignableFrom(type))
        {
            return new Shape(ShapeKind.List, type, setting, For(item, setting));
        }

        if (type.IsGenericType && type.GetGenericArguments() is [var key, var value] && key == typeof(string))
        {
            return new Shape(ShapeKind.Map, type, setting, For(value, setting));
        }

        return new Shape(ShapeKind.Object, type, setting, Object: ObjectSchema.Of(type));
    }
}

/// <summary>One key of an object: the property it sets and, for keys of an <see cref="InlineAttribute"/> group, the group's property on the owner.</summary>
internal sealed record Member(string Key, PropertyInfo Property, Shape Shape, PropertyInfo? Group)
{
    public SettingAttribute Setting => Shape.Setting;

    public object? Get(object owner) => Property.GetValue(Group is null ? owner : Group.GetValue(owner));

    public void Set(object owner, object? value) => Property.SetValue(Group is null ? owner : Group.GetValue(owner), value);
}

/// <summary>
/// The keys of a type, read once from its <see cref="SettingAttribute"/> properties in declaration order
/// (the order "expected one of …" lists them in). Binding, environment overrides and the hash all read it,
/// so a key exists in all three as soon as its property does.
/// </summary>
internal sealed class ObjectSchema
{
    private static readonly ConcurrentDictionary<Type, ObjectSchema> Cache = new();

    private readonly Dictionary<string, Member> byKey;

    private ObjectSchema(Type type, List<Member> members, IReadOnlyList<PropertyInfo> groups)
    {
        Type = type;
        Members = members;
        Groups = groups;
        Keys = [.. members.Select(member => member.Key)];
        byKey = members.ToDictionary(member => member.Key, StringComparer.Ordinal);
    }

    public Type Type { get; }

    public IReadOnlyList<Member> Members { get; }

    public string[] Keys { get; }

    /// <summary>Properties holding <see cref="InlineAttribute"/> groups; each bound instance gets its own.</summary>
    public IReadOnlyList<PropertyInfo> Groups { get; }

    public static ObjectSchema Of(Type type) => Cache.GetOrAdd(type, Build);

    public static ObjectSchema Of<T>() => Of(typeof(T));

    public Member? Find(string key) => byKey.GetValueOrDefault(key);

    public Member? FindIgnoringCase(string key) =>
        Members.FirstOrDefault(member => member.Key.Equals(key, StringComparison.OrdinalIgnoreCase));

    /// <summary>A new instance with every default, and fresh inline groups so that binding never touches a shared default.</summary>
    public object Create()
    {
        var instance = Activator.CreateInstance(Type, nonPublic: true)
            ?? throw new InvalidOperationException($"{Type.Name} has no parameterless constructor to take defaults from.");
        foreach (var group in Groups)
        {
            group.SetValue(instance, Activator.CreateInstance(group.PropertyType, nonPublic: true));
        }

        return instance;
    }

    private static ObjectSchema Build(Type type)
    {
        var members = new List<Member>();
        var groups = new List<PropertyInfo>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance).OrderBy(p => p.MetadataToken))
        {
            if (property.GetCustomAttribute<InlineAttribute>() is not null)
            {
                groups.Add(property);
                members.AddRange(Of(property.PropertyType).Members.Select(member => member with { Group = property }));
            }
            else if (property.GetCustomAttribute<SettingAttribute>() is { } setting)
            {
                var key = setting.Key ?? char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
                members.Add(new Member(key, property, Shape.For(property.PropertyType, setting), null));
            }
        }

        return new ObjectSchema(type, members, groups);
    }
}
