using System.Text.Json;
using System.Text.Json.Nodes;
using Diode.Edge.Agent.Configuration.Indexed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;

namespace Diode.Edge.Agent.Configuration;

/// <summary>
/// Loads config.json, then environment variables (<c>DIODE_EDGE__HTTP__PORT</c>), then <c>--set key=value</c> options,
/// checks every key and value, and binds <see cref="AgentOptions"/>. Any problem is a <see cref="ConfigException"/>
/// whose errors name the source and the key.
/// </summary>
internal static class ConfigLoader
{
    public const string DefaultPath = "/etc/diode-edge/config.json";
    public const string EnvironmentPrefix = "DIODE_EDGE__";

    /// <summary>A config file is a few kB; anything near this is not one.</summary>
    public const int MaxFileSize = 1024 * 1024;

    private static readonly JsonDocumentOptions JsonOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static LoadedConfig Load(string? configPath, IReadOnlyList<string>? sets = null) => Load(configPath, sets, null);

    /// <summary>
    /// The config file with a deployment's partial configuration merged over it (JSON merge patch, RFC 7386: objects
    /// merge member by member, anything else, lists included, is replaced; null removes), then the environment and
    /// <c>--set</c> as always. Errors name the file "with deployment N".
    /// </summary>
    public static LoadedConfig Load(string? configPath, IReadOnlyList<string>? sets, DeploymentOverlay? overlay)
    {
        string path = configPath ?? DefaultPath;
        var (bytes, jsonKinds) = ReadFile(path, configPath is null);
        if (overlay is not null)
        {
            var merged = JsonNode.Parse(bytes, documentOptions: JsonOptions)!;
            merged = MergePatch(merged, JsonNode.Parse(overlay.Config.GetRawText()))!;
            bytes = System.Text.Encoding.UTF8.GetBytes(merged.ToJsonString());
            using var document = JsonDocument.Parse(bytes);
            jsonKinds = ConfigSchemaValidator.JsonKinds(document.RootElement);
            path = $"{path} with deployment {overlay.Seq}";
        }

        var commandLine = new List<string>();
        foreach (string set in sets ?? [])
        {
            int eq = set.IndexOf('=', StringComparison.Ordinal);
            string? key = eq > 0 ? ConfigKey.FromDisplay(set[..eq].Trim()) : null;
            if (key is null)
            {
                throw new ConfigException([new ConfigError("--set", set, "expected key=value, e.g. --set http.port=8081 or --set sensors[0].interval=2s")]);
            }

            commandLine.Add($"{key}={set[(eq + 1)..]}");
        }

        IConfigurationRoot raw;
        try
        {
            // The stock JSON, environment and command-line providers, each with its child keys indexed (linear in the
            // number of keys, where the stock ones are quadratic for the binder and the schema walk).
            var json = new JsonStreamConfigurationSource { Stream = new MemoryStream(bytes, writable: false) };
            raw = new ConfigurationBuilder()
                .Add(new IndexedSource(() => new IndexedJsonProvider(json)))
                .Add(new IndexedSource(() => new IndexedEnvironmentProvider(EnvironmentPrefix)))
                .Add(new IndexedSource(() => new IndexedCommandLineProvider([.. commandLine])))
                .Build();
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or IOException)
        {
            throw new ConfigException([new ConfigError(path, string.Empty, ex.Message)]);
        }

        var sources = new ConfigSourceResolver(raw, path);
        var schema = new ConfigSchemaValidator(sources, jsonKinds);
        schema.Validate(raw, AgentJsonContext.Default.AgentOptions);
        if (schema.Errors.Count > 0)
        {
            throw new ConfigException(schema.Errors);
        }

        var normalized = new ConfigurationBuilder().AddConfiguration(raw).Add(new IndexedSource(() => new IndexedMemoryProvider(schema.Normalized))).Build();
        var options = new AgentOptions();
        try
        {
            normalized.Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            throw new ConfigException([new ConfigError(path, string.Empty, ex.Message)]);
        }

        StreamAccessOptions.KeepEmptyAllowLists(options, raw);
        var (errors, warnings) = Validation.ConfigRule.Read(new AgentOptionsValidator().Validate(null, options), sources);
        if (errors.Count > 0)
        {
            throw new ConfigException(errors);
        }

        return new LoadedConfig(options, raw, path, [.. schema.Warnings, .. warnings]) { Source = (configPath, sets ?? []), Overlay = overlay };
    }

    /// <summary>RFC 7386: <paramref name="patch"/> applied to <paramref name="target"/>.</summary>
    private static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? [];
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                var merged = MergePatch(result[name], value);
                result[name] = merged is null ? null : merged.Parent is null ? merged : merged.DeepClone();
            }
        }

        return result;
    }

    /// <summary>The config file's bytes: a regular file (a symbolic link to one is followed) of at most <see cref="MaxFileSize"/>, never a device, FIFO or directory, which would hang or crash the reader.</summary>
    private static (byte[] Bytes, Dictionary<string, JsonValueKind> JsonKinds) ReadFile(string path, bool isDefault)
    {
        if (UnixFile.Stat(path) is not { } status)
        {
            string hint = UnixFile.LStat(path) is not null ? "a symbolic link to nothing"
                : isDefault ? "no config file; install the package, or try the agent here with --config agent/config.dev.json"
                : "no such file";
            throw new ConfigException([new ConfigError(path, string.Empty, hint)]);
        }

        if (status.Type != UnixFile.Regular)
        {
            throw new ConfigException([new ConfigError(path, string.Empty, $"is {UnixFile.Describe(status.Type)}, not a regular file; --config takes a JSON file")]);
        }

        if (status.Size > MaxFileSize)
        {
            throw new ConfigException([new ConfigError(path, string.Empty, $"too large for a config file ({status.Size} bytes, at most {MaxFileSize})")]);
        }

        byte[] bytes;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = stream.Read(chunk)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaxFileSize)
                {
                    throw new ConfigException([new ConfigError(path, string.Empty, $"too large for a config file (more than {MaxFileSize} bytes)")]);
                }
            }

            bytes = buffer.ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException([new ConfigError(path, string.Empty, "cannot read: " + ex.Message)]);
        }

        // System.Text.Json accepts invalid UTF-8 inside a string until the string is read, and then throws: refuse it here, where it is.
        if (FirstInvalidUtf8(bytes) is { } bad)
        {
            int lineStart = Array.LastIndexOf(bytes, (byte)'\n', Math.Max(bad - 1, 0)) + 1;
            int line = 1 + bytes.AsSpan(0, lineStart).Count((byte)'\n');
            throw new ConfigException([new ConfigError($"{path}:{line}:{bad - lineStart + 1}", string.Empty, $"not valid UTF-8 (byte 0x{bytes[bad]:x2}); save the file as UTF-8")]);
        }

        try
        {
            using var document = JsonDocument.Parse(bytes, JsonOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ConfigException([new ConfigError(path, string.Empty, "expected a JSON object { ... } at the top")]);
            }

            return (bytes, ConfigSchemaValidator.JsonKinds(document.RootElement));
        }
        catch (InvalidJsonTextException ex)
        {
            throw new ConfigException([new ConfigError(path, ex.Key, "is not valid text (an escaped unpaired UTF-16 surrogate such as \\ud800)")]);
        }
        catch (JsonException ex)
        {
            long line = (ex.LineNumber ?? 0) + 1;
            long column = (ex.BytePositionInLine ?? 0) + 1;
            throw new ConfigException([new ConfigError($"{path}:{line}:{column}", string.Empty, "invalid JSON: " + FirstSentence(ex.Message))]);
        }
    }

    /// <summary>The offset of the first byte that is not part of valid UTF-8, or null when all of it is.</summary>
    private static int? FirstInvalidUtf8(byte[] bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return null;
        }

        Span<char> sink = stackalloc char[512];
        int offset = 0;
        while (true)
        {
            var status = System.Text.Unicode.Utf8.ToUtf16(bytes.AsSpan(offset), sink, out int read, out _, replaceInvalidSequences: false);
            offset += read;
            if (status is System.Buffers.OperationStatus.InvalidData or System.Buffers.OperationStatus.NeedMoreData || read == 0)
            {
                return Math.Min(offset, bytes.Length - 1);
            }
        }
    }

    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        }

        return (cut < 0 ? message : message[..cut]).TrimEnd();
    }
}
