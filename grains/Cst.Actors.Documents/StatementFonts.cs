using System.Reflection;
using PdfSharp.Fonts;

namespace Cst.Actors.Documents;

/// <summary>
/// The fonts of the statement PDF, from the assembly (DejaVu Sans Condensed, see Fonts/README.md): PDFsharp 6 finds
/// no system fonts on Linux, and a document must look the same on every silo.
/// </summary>
public sealed class StatementFonts : IFontResolver
{
    public const string Family = "CST Sans";

    private const string Regular = "DejaVuSansCondensed";
    private const string Bold = "DejaVuSansCondensed-Bold";

    private static readonly Lock Gate = new();

    /// <summary>Installs the resolver once per process (PDFsharp's setting is global).</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is not StatementFonts)
            {
                GlobalFontSettings.FontResolver = new StatementFonts();
            }
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool isBold, bool isItalic) =>
        new(isBold ? Bold : Regular);

    public byte[]? GetFont(string faceName)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Fonts/{faceName}.ttf")
            ?? throw new InvalidOperationException($"The font {faceName} is not embedded in {Assembly.GetExecutingAssembly().GetName().Name}.");
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }
}
