using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Diode.Edge.Agent.Fleet;

/// <summary>
/// Adds a signature to a deployment's text without rewriting it: the owners sign in turn, and each one's copy keeps
/// the members, their order and the author's layout byte for byte; only the <c>signatures</c> list grows (and is
/// made when the document has none yet, as one not signed so far).
/// </summary>
internal static class DeploymentSignatureSplicer
{
    private static readonly SearchValues<char> Hex = SearchValues.Create("0123456789abcdefABCDEF");
    private static readonly byte[] SignaturesName = Encoding.UTF8.GetBytes("signatures");

    /// <summary>
    /// The document with <paramref name="signature"/> (0x-hex) appended to its <c>signatures</c>, or with an empty
    /// <c>signatures</c> when <paramref name="signature"/> is null and it has none. A text that is not a JSON object is
    /// returned as it is (<see cref="DeploymentDocument.Parse"/> then names what is wrong); null with
    /// <paramref name="problem"/> when the document names <c>signatures</c> more than once.
    /// </summary>
    public static byte[]? Add(byte[] document, string? signature, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(document);
        problem = null;
        if (signature is not null && (!signature.StartsWith("0x", StringComparison.Ordinal) || signature.AsSpan(2).ContainsAnyExcept(Hex)))
        {
            throw new ArgumentException("a signature is 0x and hex digits", nameof(signature));
        }

        SignaturesPlace? place;
        try
        {
            place = Find(document, out problem);
        }
        catch (JsonException)
        {
            return document; // not JSON: Parse says so, with where
        }

        if (problem is not null)
        {
            return null;
        }

        if (place is not { } at)
        {
            return document;
        }

        string quoted = signature is null ? string.Empty : $"\"{signature}\"";
        string insert = at.Kind switch
        {
            SignaturesKind.Missing => (at.ObjectHasMembers ? "," + at.Separator : string.Empty) + $"\"signatures\": [{quoted}]",
            SignaturesKind.Empty => quoted,
            _ => signature is null ? string.Empty : "," + at.Separator + quoted,
        };
        byte[] bytes = Encoding.UTF8.GetBytes(insert);
        return [.. document.AsSpan(0, at.Offset), .. bytes, .. document.AsSpan(at.Offset)];
    }

    private enum SignaturesKind
    {
        Missing,
        Empty,
        WithElements,
    }

    /// <summary>Where to insert, and the white space that goes before a new member or element (copied from the one before it, so the layout stays the author's).</summary>
    private readonly record struct SignaturesPlace(SignaturesKind Kind, int Offset, bool ObjectHasMembers, string Separator);

    /// <summary>Where a signature goes: after the list's last element, inside an empty list, or (no list) after the root object's last member. Null when the root is no object or <c>signatures</c> no list.</summary>
    private static SignaturesPlace? Find(byte[] document, out string? problem)
    {
        problem = null;
        var reader = new Utf8JsonReader(document, new JsonReaderOptions { MaxDepth = 32 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        SignaturesPlace? found = null;
        bool seen = false;
        int lastMemberEnd = -1;
        string memberSeparator = " ";
        int previousEnd = (int)reader.BytesConsumed;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            memberSeparator = WhiteSpaceBefore(document, previousEnd, (int)reader.TokenStartIndex);
            bool isSignatures = reader.ValueTextEquals(SignaturesName);
            if (isSignatures && seen)
            {
                problem = "signatures: named more than once";
                return null;
            }

            seen |= isSignatures;
            reader.Read();
            if (isSignatures && reader.TokenType == JsonTokenType.StartArray)
            {
                int afterOpen = (int)reader.BytesConsumed;
                int afterLast = -1;
                string elementSeparator = " ";
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (afterLast >= 0)
                    {
                        elementSeparator = WhiteSpaceBefore(document, afterLast, (int)reader.TokenStartIndex);
                    }

                    reader.Skip();
                    afterLast = (int)reader.BytesConsumed;
                }

                found = afterLast < 0
                    ? new SignaturesPlace(SignaturesKind.Empty, afterOpen, true, string.Empty)
                    : new SignaturesPlace(SignaturesKind.WithElements, afterLast, true, elementSeparator);
            }
            else
            {
                reader.Skip();
            }

            lastMemberEnd = (int)reader.BytesConsumed;
            previousEnd = lastMemberEnd;
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            return null;
        }

        if (seen)
        {
            return found;
        }

        return lastMemberEnd < 0
            ? new SignaturesPlace(SignaturesKind.Missing, (int)reader.TokenStartIndex, false, string.Empty)
            : new SignaturesPlace(SignaturesKind.Missing, lastMemberEnd, true, memberSeparator);
    }

    /// <summary>The white space between the comma (if any) after one token and the start of the next: a line break and indentation, or a space.</summary>
    private static string WhiteSpaceBefore(byte[] document, int from, int to)
    {
        var between = document.AsSpan(from, to - from);
        int comma = between.LastIndexOf((byte)',');
        return Encoding.UTF8.GetString(between[(comma + 1)..]);
    }
}
