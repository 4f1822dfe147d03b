using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Cst.Actors.Platform.Tests.Documents;

/// <summary>A PDF's text as poppler's pdftotext reads it (Debian's poppler-utils, installed by .ci/run).</summary>
public static partial class PdfText
{
    /// <summary>The text of every page.</summary>
    public static string Extract(byte[] pdf) => Run(pdf, []);

    /// <summary>
    /// The text inside one band of every page, in points from the top left (e.g. one column of a table): the lines of a
    /// wrapped cell come out together, not interleaved with the cells beside it.
    /// </summary>
    public static string ExtractRegion(byte[] pdf, int x, int y, int width, int height) =>
        Run(pdf, ["-r", "72", "-x", $"{x}", "-y", $"{y}", "-W", $"{width}", "-H", $"{height}"]);

    private static string Run(byte[] pdf, string[] options)
    {
        var path = Path.Combine(Path.GetTempPath(), $"cst-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(path, pdf);
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pdftotext", [.. options, "-enc", "UTF-8", path, "-"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            }) ?? throw new InvalidOperationException("pdftotext did not start");
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            Assert.True(process.WaitForExit(30_000), "expected pdftotext to finish within 30 s");
            Assert.True(process.ExitCode == 0, $"pdftotext failed: {error.Result}");
            return output;
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Whitespace (the line breaks of wrapped cells included) as single spaces.</summary>
    public static string Flat(string text) => Spaces().Replace(text, " ");

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
