using System.Globalization;
using System.Text.Json;
using Proctor.Configuration.Formats;
using Proctor.Configuration.Models;
using Proctor.Configuration.Models.Schema;
using Proctor.Configuration.Models.Secrets;
using Proctor.Masking.Policy;

namespace Proctor.Configuration.Binding;

/// <summary>
/// Reads one scalar's text into its typed value (the only place a value is parsed), and writes a typed
/// value into the canonical form the configuration hash is taken over. Every message names what was
/// written and a value that works.
/// </summary>
internal static class ScalarFormats
{
    private static readonly HashSet<Type> Scalars =
        [typeof(string), typeof(bool), typeof(int), typeof(long), typeof(TimeSpan), typeof(Uri), typeof(RetentionPeriod), typeof(SecretValue), typeof(ReferencedUrl)];

    private static readonly string[] StrategyNames = [.. Enum.GetNames<MaskingStrategy>().Select(name => name.ToLowerInvariant())];

    /// <summary>Above 2^53 a JSON number is no longer exact in every reader (RFC 8785 §3.2.2.3), so it is written as text.</summary>
    private const long MaxExactNumber = 1L << 53;

    public static bool IsScalar(Type type) => Scalars.Contains(type) || type.IsEnum;

    /// <summary>Parses <paramref name="text"/>; on failure the problem is reported at <paramref name="key"/>.</summary>
    /// <param name="example">A value that works, as messages show it.</param>
    public static bool TryRead(Shape shape, string text, string example, string key, BindingContext context, out object? value)
    {
        var setting = shape.Setting;
        value = null;
        if (setting.NoReferences is { } refusal && SecretBinding.MentionsReference(text, context))
        {
            context.Add(key, SecretBinding.NotResolvedHere + refusal);
            return false;
        }

        var plain = example.Trim('"');
        string? problem = null;
        var ok = (setting.Format, Type: shape.Type) switch
        {
            (ValueFormat.ByType, var type) when type == typeof(SecretValue) => Secret(text, key, context, setting.Credential, out value),
            (ValueFormat.UpstreamUrl, _) => UpstreamUrl(text, key, context, out value),
            (ValueFormat.WebhookUrl, _) => WebhookUrl(text, key, context, setting.Credential, out value),
            (ValueFormat.PublicUrl, _) => Parsed(NotificationFormats.PublicUrl(text, example, out var publicUrl, out problem), publicUrl, out value),
            (ValueFormat.NoticeKind, _) => Parsed(NotificationFormats.NoticeKind(text, out problem), text, out value),
            (ValueFormat.Listen, _) => Parsed(ListenFormat.TryParse(text, out var listen, out problem), listen, out value),
            (ValueFormat.Origin, _) => Parsed(OriginFormat.TryNormalize(text, out var origin, out problem), origin, out value),
            (ValueFormat.LogLevel, _) => Parsed(LogLevelFormat.TryParse(text, out var level, out problem), level, out value),
            (ValueFormat.ClockSkew, _) => Parsed(ClockSkew(text, plain, out var skew, out problem), skew, out value),
            (ValueFormat.ByType, var type) when type == typeof(TimeSpan) => Parsed(DurationFormat.TryParse(text, plain, out var duration, out problem), duration, out value),
            (ValueFormat.ByType, var type) when type == typeof(long) => Parsed(Size(text, plain, setting, out var size, out problem), size, out value),
            (ValueFormat.ByType, var type) when type == typeof(int) => Parsed(Count(text, plain, setting, out var count, out problem), count, out value),
            (ValueFormat.ByType, var type) when type == typeof(bool) => Parsed(Boolean(text, out var flag, out problem), flag, out value),
            (ValueFormat.ByType, var type) when type == typeof(RetentionPeriod) => Parsed(RetentionFormat.TryParse(text, out var period, out problem), period, out value),
            (ValueFormat.ByType, var type) when type == typeof(string) => Parsed(true, text, out value),
            (ValueFormat.Era, _) => Parsed(Era(text, out var era, out problem), era, out value),
            (ValueFormat.Strategy, _) => Parsed(Strategy(text, out var strategy, out problem), strategy, out value),
            (ValueFormat.KeepLast, _) => Parsed(KeepLast(text, out var keep, out problem), keep, out value),
            (ValueFormat.ClientAuthentication, _) => Parsed(ClientAuthentication(text, out var method, out problem), method, out value),
            (ValueFormat.AbsolutePath, _) => Check(Path.IsPathFullyQualified(text), $"{DisplayText.Quote(text)} is not an absolute path; use a full path, e.g. {example}", text, out problem, out value),
            (ValueFormat.StoragePath, _) => Check(StoragePath(text, out problem), problem, text, out problem, out value),
            (ValueFormat.ResourceUrl, _) => Parsed(
                IdentityFormats.TryHttpUrl(text, out var resource) && resource.Fragment.Length == 0 || Fail($"\"{text}\" is not an absolute http(s) URL without a fragment; use e.g. {example}", out problem), resource, out value),
            (ValueFormat.IssuerUrl, _) => Parsed(IdentityFormats.Issuer(text, out var issuer, out problem), issuer, out value),
            (ValueFormat.TokenUrl, _) => Parsed(IdentityFormats.TokenUrl(text, out var tokenUrl, out problem), tokenUrl, out value),
            (ValueFormat.OAuthResource, _) => Check(
                IdentityFormats.TryHttpUrl(text, out var uri) && uri.Fragment.Length == 0,
                $"\"{text}\" is not an absolute http(s) URL without a fragment (RFC 8707); use e.g. {example}", text, out problem, out value),
            (ValueFormat.Scope, _) => Check(ScopeFormat.IsValid(text), $"\"{text}\" is not an OAuth scope (printable ASCII without spaces, quotes or backslashes); write one scope per entry, e.g. {example}", text, out problem, out value),
            (ValueFormat.Scopes, _) => Check(
                text.Split(' ', StringSplitOptions.RemoveEmptyEntries).All(ScopeFormat.IsValid),
                $"\"{text}\" is not a space-separated list of OAuth scopes; use e.g. {example}", text, out problem, out value),
            (ValueFormat.Algorithm, _) => Check(
                IdentitySettings.AllowedAlgorithms.Contains(text, StringComparer.Ordinal),
                $"\"{text}\" is not allowed; use asymmetric algorithms only: {string.Join(", ", IdentitySettings.AllowedAlgorithms)}", text, out problem, out value),
            (ValueFormat.JwksPath, _) => Check(
                text.Trim().Length > 0 && !text.Contains("${", StringComparison.Ordinal),
                "must be the path of the issuer's JWKS file (its public keys), e.g. \"keys/login.jwks.json\"", text, out problem, out value),
            (ValueFormat.GroupName, _) => Check(text.Trim().Length > 0, "is blank; name a group exactly as the groups claim carries it, e.g. \"auditors\"", text, out problem, out value),
            (ValueFormat.ClaimName, _) => Check(text.Length > 0, "is empty; use the claim that lists the caller's groups or roles, e.g. \"groups\" or \"roles\"", text, out problem, out value),
            var (format, type) => throw new InvalidOperationException($"No format reads {type.Name} as {format}; give the setting a format."),
        };

        if (!ok && problem is not null)
        {
            context.Add(key, problem);
        }

        return ok;
    }

    /// <summary>Writes a typed value as the canonical form has it: durations in milliseconds, enums in lower case, secrets as their references.</summary>
    public static void Write(Utf8JsonWriter json, Shape shape, object value)
    {
        switch (value)
        {
            case string text: json.WriteStringValue(text); break;
            case bool flag: json.WriteBooleanValue(flag); break;
            case int number: json.WriteNumberValue(number); break;
            case long number when Math.Abs(number) <= MaxExactNumber: json.WriteNumberValue(number); break;
            case long number: json.WriteStringValue(number.ToString(CultureInfo.InvariantCulture)); break;
            case TimeSpan duration: json.WriteNumberValue((long)duration.TotalMilliseconds); break;
            case Uri uri: json.WriteStringValue(shape.Setting.Format is ValueFormat.Listen or ValueFormat.ResourceUrl ? uri.AbsoluteUri : uri.OriginalString); break;
            case Enum choice: json.WriteStringValue(choice.ToString().ToLowerInvariant()); break;
            case RetentionPeriod period: json.WriteStringValue(period.ToString()); break;
            case SecretValue secret: json.WriteStringValue(secret.Reference); break;
            case ReferencedUrl url: json.WriteStringValue(url.Reference); break;
            default: throw new InvalidOperationException($"No canonical form for {value.GetType().Name}.");
        }
    }

    private static bool Secret(string text, string key, BindingContext context, bool credential, out object? value)
    {
        value = SecretBinding.Resolve(text, key, context, credential);
        return value is not null;
    }

    /// <summary>References resolve first, since the address called is what is checked; messages quote it as written.</summary>
    private static bool UpstreamUrl(string text, string key, BindingContext context, out object? value)
    {
        value = null;
        if (SecretBinding.Resolve(text, key, context, credential: false) is not { } resolved)
        {
            return false;
        }

        // The link-local check depends on allowLinkLocal beside it: a rule.
        if (!UpstreamUrlFormat.TryParse(resolved.Reveal(), text, allowLinkLocal: true, out var url, out var problem))
        {
            context.Add(key, problem!);
            return false;
        }

        value = new ReferencedUrl(text, url);
        return true;
    }

    /// <summary>References resolve first, since the address called is what is checked; the result stays a secret value.</summary>
    private static bool WebhookUrl(string text, string key, BindingContext context, bool credential, out object? value)
    {
        value = null;
        if (SecretBinding.Resolve(text, key, context, credential) is not { } resolved)
        {
            return false;
        }

        if (!NotificationFormats.WebhookUrl(resolved.Reveal(), out _, out var problem))
        {
            context.Add(key, problem!);
            return false;
        }

        value = resolved;
        return true;
    }

    private static bool Parsed<T>(bool ok, T parsed, out object? value)
    {
        value = ok ? parsed : null;
        return ok;
    }

    private static bool Check(bool ok, string? message, string text, out string? problem, out object? value)
    {
        problem = ok ? null : message;
        value = ok ? text : null;
        return ok;
    }

    private static bool Fail(string message, out string? problem)
    {
        problem = message;
        return false;
    }

    private static bool Boolean(string text, out bool value, out string? problem)
    {
        problem = bool.TryParse(text, out value) ? null : $"{DisplayText.Quote(text)} is not true or false; use false";
        return problem is null;
    }

    private static bool Size(string text, string example, SettingAttribute setting, out long value, out string? problem)
    {
        if (!ByteSizeFormat.TryParse(text, example, out value, out problem))
        {
            return false;
        }

        if (setting.Minimum is { } min && setting.Maximum is { } max
            && ByteSizeFormat.TryParse(min, example, out var low, out _) && ByteSizeFormat.TryParse(max, example, out var high, out _)
            && (value < low || value > high))
        {
            problem = $"{DisplayText.Quote(text)} is out of range; use from \"{min}\" to \"{max}\", e.g. \"{example}\"";
            return false;
        }

        return true;
    }

    private static bool Count(string text, string example, SettingAttribute setting, out int value, out string? problem) =>
        setting.Maximum is { } max
            ? CountFormat.TryParse(text, int.Parse(setting.Minimum ?? "1", CultureInfo.InvariantCulture), int.Parse(max, CultureInfo.InvariantCulture), out value, out problem)
            : CountFormat.TryParse(text, example, out value, out problem);

    private static bool ClockSkew(string text, string example, out TimeSpan value, out string? problem)
    {
        // More than this and an expired or not-yet-valid token stays usable for too long.
        if (DurationFormat.TryParse(text, example, out value, out problem) && value > TimeSpan.FromMinutes(5))
        {
            problem = $"\"{text}\" is more than 5m: expired tokens would stay usable that long; use e.g. \"30s\"";
        }

        return problem is null;
    }

    private static bool StoragePath(string path, out string? problem)
    {
        problem = path switch
        {
            _ when path.Trim().Length == 0 => $"is empty; name the SQLite database file, e.g. \"{StorageSettings.DefaultPath}\"",
            _ when path.Contains("${", StringComparison.Ordinal) => "secret references are not resolved here; write the path itself, e.g. \"/var/lib/proctor/proctor.db\"",
            _ when path.EndsWith('/') || path.EndsWith(Path.DirectorySeparatorChar) => $"\"{path}\" names a folder; name the database file in it, e.g. \"{path}proctor.db\"",
            _ when path.IndexOfAny(Path.GetInvalidPathChars()) >= 0 => $"\"{path}\" is not a valid path; use e.g. \"{StorageSettings.DefaultPath}\"",
            _ => null,
        };
        return problem is null;
    }

    private static bool Era(string text, out UpstreamEra era, out string? problem)
    {
        (var ok, era) = text.ToLowerInvariant() switch
        {
            "auto" => (true, UpstreamEra.Auto),
            "legacy" => (true, UpstreamEra.Legacy),
            "modern" => (true, UpstreamEra.Modern),
            _ => (false, UpstreamEra.Auto),
        };
        problem = ok ? null : $"{DisplayText.Quote(text)} is not an era; use auto, legacy or modern";
        return ok;
    }

    /// <summary>Strategy names are lower case exactly as documented.</summary>
    private static bool Strategy(string text, out MaskingStrategy strategy, out string? problem)
    {
        var index = Array.IndexOf(StrategyNames, text);
        strategy = index < 0 ? MaskingStrategy.Redact : Enum.GetValues<MaskingStrategy>()[index];
        problem = index < 0 ? $"{DisplayText.Quote(text)} is not a strategy; use {string.Join(", ", StrategyNames)}" : null;
        return index >= 0;
    }

    /// <summary>Only the number's form: its range is the masking engine's rule (<see cref="MaskingPolicyValidator"/>).</summary>
    private static bool KeepLast(string text, out int keepLast, out string? problem)
    {
        var ok = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out keepLast);
        problem = ok ? null : $"{DisplayText.Quote(text)} is not a whole number; use {MaskingPolicyValidator.MinKeepLast} to {MaskingPolicyValidator.MaxKeepLast}, e.g. 4";
        return ok;
    }

    private static bool ClientAuthentication(string text, out OAuthClientAuthentication method, out string? problem)
    {
        (var ok, method) = text.ToLowerInvariant() switch
        {
            "basic" or "client_secret_basic" => (true, OAuthClientAuthentication.Basic),
            "post" or "client_secret_post" => (true, OAuthClientAuthentication.Post),
            _ => (false, OAuthClientAuthentication.Basic),
        };
        problem = ok ? null : $"\"{text}\" is not a client authentication method; use basic (client_secret_basic) or post (client_secret_post)";
        return ok;
    }
}
