using System.Collections;
using Proctor.Configuration.Formats;
using Proctor.Configuration.Reading;
using YamlDotNet.RepresentationModel;
using static Proctor.Configuration.Reading.YamlNodes;

namespace Proctor.Configuration.Binding;

/// <summary>
/// Reads a YAML tree into typed options in one pass, driven by the <see cref="ObjectSchema"/> of the
/// target type: unknown keys are refused with the closest known one, values of the wrong shape are
/// refused with what was found and an example, and every scalar is parsed into its type here and
/// nowhere else. Errors carry the key's full path; <see cref="BindingContext"/> keeps where each key is
/// written. A value that cannot be read keeps its default and is marked refused, so the rules after
/// binding do not report it twice.
/// </summary>
internal sealed class OptionsBinder(BindingContext context)
{
    private enum Outcome
    {
        /// <summary>Not written (or written as null): the default stays.</summary>
        Keep,
        Set,
        Refused,
    }

    public T Bind<T>(YamlNode? root, string rootWhat)
        where T : class
    {
        var schema = ObjectSchema.Of<T>();
        if (root is null || IsNull(root))
        {
            return (T)schema.Create();
        }

        if (root is not YamlMappingNode mapping)
        {
            context.Add(context.SourceName, $"expected {rootWhat}, found {Describe(root)}");
            return (T)schema.Create();
        }

        return (T)BindMembers(schema, mapping, "");
    }

    /// <summary>Binds one section found at <paramref name="path"/>, for readers that need only it.</summary>
    public T BindSection<T>(YamlNode? node, string path, string example)
        where T : class
    {
        var shape = new Shape(ShapeKind.Object, typeof(T), new(string.Empty, example), Object: ObjectSchema.Of<T>());
        return node is not null && Bind(shape, node, path, out var value) == Outcome.Set ? (T)value! : (T)shape.Object!.Create();
    }

    private object BindMembers(ObjectSchema schema, YamlMappingNode mapping, string path)
    {
        var instance = schema.Create();
        foreach (var (keyNode, key, value) in Entries(mapping, path))
        {
            var keyPath = KeyPath.Child(path, key);
            context.Written(path, key, keyPath, LineOf(keyNode));
            if (schema.Find(key) is not { } member)
            {
                UnknownKey(keyPath, key, schema.Keys);
            }
            else if (Bind(member.Shape, value, keyPath, out var bound) == Outcome.Set)
            {
                member.Set(instance, bound);
            }
        }

        CheckRequired(schema, instance, path);
        return instance;
    }

    private Outcome Bind(Shape shape, YamlNode node, string path, out object? value)
    {
        value = null;
        var setting = shape.Setting;
        if (IsNull(node))
        {
            if (shape.Kind != ShapeKind.Object)
            {
                return Outcome.Keep;
            }

            // A section written empty is there: its required keys are reported, and its defaults apply.
            value = shape.Object!.Create();
            CheckRequired(shape.Object, value, path);
            return Outcome.Set;
        }

        var outcome = shape.Kind switch
        {
            ShapeKind.Scalar when node is YamlScalarNode scalar => Scalar(shape, scalar, setting.Example, path, out value),
            ShapeKind.List => List(shape, node, path, setting.What, out value),
            ShapeKind.Map => Map(shape, node, path, out value),
            ShapeKind.Object when node is YamlMappingNode mapping => Set(BindMembers(shape.Object!, mapping, path), out value),
            ShapeKind.Node => Set(node, out value),
            _ => Refuse(path, $"expected {(shape.Kind == ShapeKind.Object ? "a mapping" : setting.What)}, found {Describe(node, setting.Sensitive)}; use e.g. {setting.Example}"),
        };
        if (outcome == Outcome.Refused)
        {
            context.Refuse(path);
        }

        return outcome;
    }

    private Outcome Scalar(Shape shape, YamlScalarNode scalar, string example, string path, out object? value)
    {
        var text = scalar.Value ?? "";
        context.Text(path, text);
        return ScalarFormats.TryRead(shape, text, example, path, context, out value) ? Outcome.Set : Outcome.Refused;
    }

    private Outcome List(Shape shape, YamlNode node, string path, string what, out object? value)
    {
        value = null;
        var (item, setting) = (shape.Item!, shape.Setting);
        var itemWhat = setting.ItemWhat ?? "an entry";
        var itemExample = setting.ItemExample ?? setting.Example;
        if (node is not YamlSequenceNode sequence)
        {
            if (item.Kind == ShapeKind.Object)
            {
                return Refuse(path, $"expected a list, found {Describe(node)}; use e.g. [{itemExample}]");
            }

            var example = node is YamlScalarNode { Value: { } text }
                ? "[" + string.Join(", ", (setting.SplitExample ? text.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [text]).Select(DisplayText.Quote)) + "]"
                : "[" + itemExample + "]";
            return Refuse(path, $"expected {what}, found {Describe(node)}; use {example}");
        }

        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(item.Type))!;
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var (child, itemPath) = (sequence.Children[i], KeyPath.Item(path, i));
            context.Located(itemPath, LineOf(child));
            object? bound = null;
            var outcome = (child, item.Kind) switch
            {
                (YamlMappingNode mapping, ShapeKind.Object) => Set(BindMembers(item.Object!, mapping, itemPath), out bound),
                _ when IsNull(child) => Refuse(itemPath, $"is empty; write {itemWhat}, e.g. {itemExample}, or remove the entry"),
                (YamlScalarNode scalar, ShapeKind.Scalar) => Scalar(item, scalar, itemExample, itemPath, out bound),
                _ => Refuse(itemPath, $"expected {itemWhat}, found {Describe(child)}; use e.g. {itemExample}"),
            };

            if (outcome == Outcome.Refused)
            {
                context.Refuse(itemPath);
            }

            // An entry of a list of mappings stays, even empty, so every later entry keeps the index the file shows.
            if (outcome == Outcome.Set ? !(setting.Set && list.Contains(bound)) : item.Kind == ShapeKind.Object)
            {
                list.Add(bound ?? item.Object!.Create());
            }
        }

        return Set(list, out value);
    }

    private Outcome Map(Shape shape, YamlNode node, string path, out object? value)
    {
        value = null;
        var (item, setting) = (shape.Item!, shape.Setting);
        if (node is not YamlMappingNode mapping)
        {
            return Refuse(path, $"expected {setting.What}, found {Describe(node, setting.Sensitive)}; use e.g. {setting.Example}");
        }

        var map = (IDictionary)Activator.CreateInstance(typeof(OrderedDictionary<,>).MakeGenericType(typeof(string), item.Type), StringComparer.Ordinal)!;
        foreach (var (keyNode, key, child) in Entries(mapping, path))
        {
            var keyPath = KeyPath.Child(path, key);
            context.Written(path, key, keyPath, LineOf(keyNode));
            object? bound = null;
            var outcome = (child, item.Kind) switch
            {
                (_, ShapeKind.List) when IsNull(child) => Set(Activator.CreateInstance(typeof(List<>).MakeGenericType(item.Item!.Type)), out bound),
                (_, ShapeKind.List) => List(item, child, keyPath, setting.ValueWhat ?? setting.What, out bound),
                (_, ShapeKind.Object) when IsNull(child) || child is YamlMappingNode => Bind(item, child, keyPath, out bound),
                (_, ShapeKind.Object) => Refuse(keyPath, $"expected {setting.ItemWhat}, found {Describe(child)}; use e.g. {setting.ItemExample}"),
                _ when IsNull(child) => Refuse(keyPath, "has no value; write \"\" for an empty value, or remove the entry"),
                (YamlScalarNode scalar, _) => Scalar(item, scalar, setting.Example, keyPath, out bound),
                _ => Refuse(keyPath, $"expected a text value, found {Describe(child)}; use e.g. \"value\""),
            };

            // An entry that is not a mapping at all stays, refused, so that rules about the map still see its name.
            if (outcome == Outcome.Set || item.Kind == ShapeKind.Object)
            {
                map[key] = bound ?? item.Object!.Create();
            }

            if (outcome == Outcome.Refused)
            {
                context.Refuse(keyPath);
            }
        }

        return Set(map, out value);
    }

    private void CheckRequired(ObjectSchema schema, object instance, string path)
    {
        foreach (var member in schema.Members)
        {
            var keyPath = KeyPath.Child(path, member.Key);
            if (member.Setting.Required is { } message && !context.IsRefusedWithin(keyPath) && member.Get(instance) is null or ICollection { Count: 0 })
            {
                context.Add(keyPath, message);
            }
        }
    }

    private IEnumerable<(YamlNode KeyNode, string Key, YamlNode Value)> Entries(YamlMappingNode mapping, string path)
    {
        foreach (var (key, value) in mapping.Children)
        {
            if (key is YamlScalarNode { Value: { Length: > 0 } text } && !IsNull(key))
            {
                yield return (key, text, value);
            }
            else
            {
                context.Add(path.Length == 0 ? context.SourceName : path, $"line {key.Start.Line}: keys must be plain names, found {Describe(key)}");
            }
        }
    }

    private void UnknownKey(string path, string key, string[] known)
    {
        if (key == "<<")
        {
            context.Add(path, "YAML merge keys are not supported; write the keys out");
            return;
        }

        var closest = KeySuggestion.Closest(key, known);
        context.Add(path, closest is null ? $"unknown key; expected one of {string.Join(", ", known)}" : $"unknown key; did you mean \"{closest}\"?");
    }

    private Outcome Refuse(string path, string message)
    {
        context.Add(path, message);
        return Outcome.Refused;
    }

    private static Outcome Set(object? bound, out object? value)
    {
        value = bound;
        return Outcome.Set;
    }
}
