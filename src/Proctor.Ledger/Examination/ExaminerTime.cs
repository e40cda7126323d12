using System.Globalization;

namespace Proctor.Ledger.Examination;

/// <summary>How examiners write times in filters (CLI options and API parameters alike): UTC unless the text says otherwise.</summary>
public static class ExaminerTime
{
    public const string Example = "2026-11-01 or 2026-11-01T09:00Z";

    public static bool TryParse(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);
}
