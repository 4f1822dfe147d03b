using System.Globalization;
using System.Text;

namespace Cst.Actors.Contracts.Import;

/// <summary>The text of an import file, or why its bytes cannot be read as text; a note when it was converted.</summary>
/// <param name="Note">Set when the file was not UTF-8 and was converted, e.g. "read as Windows-1252 ...".</param>
public sealed record DecodedText(string? Text, string? Note, ImportError? Error);

/// <summary>
/// Turns the bytes of an import file into text without ever guessing silently: UTF-8 (with or without BOM) as it is;
/// a file with a UTF-16 BOM as UTF-16; otherwise, for a CSV, bytes that are not UTF-8 are read as Windows-1252 (what
/// Excel's plain "CSV" writes on an Italian Windows; a superset of the letters of ISO-8859-1) and the report says so.
/// Refused, naming the line: bytes that are neither (control characters, the five bytes Windows-1252 leaves
/// undefined), and a file that mixes UTF-8 with another encoding (converting it would turn its UTF-8 letters into
/// two wrong ones, e.g. "ì" into "Ã¬").
/// </summary>
public static class ImportText
{
    /// <summary>Windows-1252, refusing its undefined bytes (.NET would pass them through as C1 controls).</summary>
    private static readonly Lazy<Encoding> Windows1252 = new(() =>
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    });

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes <paramref name="bytes"/>; with <paramref name="allowWindows1252"/> false (JSON, which is UTF-8 by
    /// definition) bytes that are not UTF-8 are refused.</summary>
    public static DecodedText Decode(byte[] bytes, bool allowWindows1252)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
        {
            return DecodeUtf16(bytes, bigEndian: bytes[0] == 0xFE);
        }

        var bom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;
        var body = bom ? bytes.AsSpan(3) : bytes.AsSpan();
        var (firstInvalid, hasMultiByte) = ScanUtf8(body);
        var offset = bom ? 3 : 0;
        if (firstInvalid < 0)
        {
            var text = StrictUtf8.GetString(body);
            return ControlCharacter(text) is { } control ? Refuse(control.Line, control.Column, control.Message) : new DecodedText(text, null, null);
        }

        var (line, column) = Position(bytes, firstInvalid + offset);
        var shown = Hex(body.Slice(firstInvalid, Math.Min(2, body.Length - firstInvalid)));
        if (!allowWindows1252)
        {
            return Refuse(line, column, $"the bytes {shown} are not UTF-8; save the file as UTF-8");
        }

        if (bom || hasMultiByte)
        {
            return Refuse(line, column, $"the bytes {shown} are not UTF-8, while {(bom ? "the file starts with a UTF-8 mark" : "other lines are UTF-8")}: "
                + "the file mixes two encodings; save it again as \"CSV UTF-8\"");
        }

        string converted;
        try
        {
            converted = Windows1252.Value.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            var at = Position(bytes, e.Index >= 0 ? e.Index : firstInvalid);
            return Refuse(at.Line, at.Column, $"the byte {Hex(e.BytesUnknown ?? [])} is neither UTF-8 nor Windows-1252: the file is not text, "
                + "or in an encoding the import does not read; save it as \"CSV UTF-8\"");
        }

        if (ControlCharacter(converted) is { } c)
        {
            return Refuse(c.Line, c.Column, c.Message);
        }

        // Show the first converted value, so that the operator can see at a glance whether the letters are right.
        var sample = converted.Split('\n').Select((l, i) => (Line: i + 1, Text: l.TrimEnd('\r'))).First(l => l.Text.Any(ch => ch > 127));
        var value = sample.Text.Split(';').First(v => v.Any(ch => ch > 127)).Trim().Trim('"');
        return new DecodedText(converted,
            $"read as Windows-1252 (the file is not UTF-8; Excel's \"CSV\" on Windows writes it): check the accented letters, e.g. line {sample.Line}: \"{Cut(value)}\"",
            null);
    }

    private static DecodedText DecodeUtf16(byte[] bytes, bool bigEndian)
    {
        try
        {
            var text = new UnicodeEncoding(bigEndian, byteOrderMark: true, throwOnInvalidBytes: true).GetString(bytes, 2, bytes.Length - 2);
            return ControlCharacter(text) is { } c ? Refuse(c.Line, c.Column, c.Message) : new DecodedText(text, "read as UTF-16", null);
        }
        catch (DecoderFallbackException e)
        {
            var line = 1 + bytes.AsSpan(0, Math.Clamp(e.Index + 2, 0, bytes.Length)).Count((byte)'\n');
            return Refuse(line, 0, "the file starts as UTF-16 but holds bytes that are not; save it as \"CSV UTF-8\"");
        }
    }

    /// <summary>The index of the first byte that is not valid UTF-8 (-1 if none) and whether any character took several bytes.</summary>
    private static (int FirstInvalid, bool HasMultiByte) ScanUtf8(ReadOnlySpan<byte> bytes)
    {
        var multi = false;
        var i = 0;
        while (i < bytes.Length)
        {
            if (bytes[i] < 0x80)
            {
                i++;
                continue;
            }

            if (System.Buffers.OperationStatus.Done != System.Text.Rune.DecodeFromUtf8(bytes[i..], out _, out var consumed))
            {
                return (i, multi);
            }

            multi = true;
            i += consumed;
        }

        return (-1, multi);
    }

    /// <summary>A control character other than tab and line breaks: a binary file (a spreadsheet saved as .xlsx, say).</summary>
    private static (int Line, int Column, string Message)? ControlCharacter(string text)
    {
        var line = 1;
        var column = 0;
        foreach (var c in text)
        {
            column++;
            if (c == '\n')
            {
                line++;
                column = 0;
            }
            else if (char.IsControl(c) && c is not ('\t' or '\r'))
            {
                return (line, column, $"the file holds a control character (U+{(int)c:X4}), which no text of an import has: "
                    + "it is not a text file (an .xlsx? save it as \"CSV UTF-8\")");
            }
        }

        return null;
    }

    private static (int Line, int Column) Position(byte[] bytes, int index)
    {
        var before = bytes.AsSpan(0, index);
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        return (1 + before.Count((byte)'\n'), index - lineStart + 1);
    }

    private static DecodedText Refuse(int line, int column, string message) =>
        new(null, null, new ImportError(line, column, "encoding", message));

    private static string Hex(ReadOnlySpan<byte> bytes) =>
        string.Join(' ', bytes.ToArray().Select(b => "0x" + b.ToString("X2", CultureInfo.InvariantCulture)));

    private static string Cut(string text) => text.Length > 60 ? text[..60] + "..." : text;
}
