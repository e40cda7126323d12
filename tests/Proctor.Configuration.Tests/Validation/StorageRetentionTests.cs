using static Proctor.Configuration.Tests.Loading;

namespace Proctor.Configuration.Tests.Validation;

/// <summary><c>storage.retention</c> and <c>storage.retentionCheckInterval</c>.</summary>
public sealed class StorageRetentionTests
{
    [Fact]
    public void Unset_KeepsPayloads_AndTheHashOfAConfigurationWithoutIt()
    {
        var plain = Model("storage: { path: \"data/proctor.db\" }");
        var retained = Model("storage: { path: \"data/proctor.db\", retention: \"7y\" }");

        Assert.Null(plain.Storage.Retention);
        Assert.NotEqual(plain.Hash, retained.Hash); // the retention in force is part of the configuration an event names
    }

    [Theory]
    [InlineData("7y", 7, RetentionUnit.Years)]
    [InlineData("2555d", 2555, RetentionUnit.Days)]
    [InlineData("1d", 1, RetentionUnit.Days)]
    public void Retention_DaysOrYears_Parsed(string written, int amount, RetentionUnit unit)
    {
        var model = Model($"storage: {{ retention: \"{written}\" }}");

        Assert.Equal(new RetentionPeriod(amount, unit), model.Storage.Retention);
        Assert.Equal(written, model.Storage.Retention!.ToString());
        Assert.Equal(StorageSettings.DefaultRetentionCheckInterval, model.Storage.RetentionCheckInterval);
    }

    [Fact]
    public void RetentionCheckInterval_Given_Used()
    {
        var model = Model("storage: { retention: \"90d\", retentionCheckInterval: \"15m\" }");

        Assert.Equal(TimeSpan.FromMinutes(15), model.Storage.RetentionCheckInterval);
    }

    [Fact]
    public void PinLedgerWriter_Unset_On_False_Off_AnythingElse_Refused()
    {
        Assert.True(Model("storage: { path: \"data/proctor.db\" }").Storage.PinLedgerWriter);
        Assert.False(Model("storage: { pinLedgerWriter: false }").Storage.PinLedgerWriter);
        Assert.Contains(Errors("storage: { pinLedgerWriter: sometimes }"), error => error.Contains("pinLedgerWriter", StringComparison.Ordinal));
    }

    [Fact]
    public void LockTimeout_Unset_FiveSeconds_Given_Used()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), Model("storage: { path: \"data/proctor.db\" }").Storage.LockTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(300), Model("storage: { lockTimeout: \"300ms\" }").Storage.LockTimeout);
    }

    [Fact]
    public void Cutoff_SevenYears_IsTheSameCalendarDaySevenYearsBefore()
    {
        var now = new DateTimeOffset(2026, 2, 28, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2019, 2, 28, 12, 0, 0, TimeSpan.Zero), new RetentionPeriod(7, RetentionUnit.Years).CutoffAt(now));
        Assert.Equal(now.AddDays(-30), new RetentionPeriod(30, RetentionUnit.Days).CutoffAt(now));
    }

    [Theory]
    [InlineData("storage: { retention: \"7\" }", "storage.retention: \"7\" is not a retention period; write whole days or years, e.g. \"7y\" or \"2555d\"")]
    [InlineData("storage: { retention: \"24h\" }", "storage.retention: \"24h\" is not a retention period; write whole days or years, e.g. \"7y\" or \"2555d\"")]
    [InlineData("storage: { retention: \"0d\" }", "storage.retention: \"0d\" must be at least one day; use e.g. \"7y\"")]
    [InlineData("storage: { retention: \"101y\" }", "storage.retention: \"101y\" is longer than 100 years; use at most \"100y\"")]
    [InlineData("storage: { retention: \"36601d\" }", "storage.retention: \"36601d\" is longer than 100 years; use at most \"100y\"")]
    [InlineData("storage: { retention: \"7y\", retentionCheckInterval: \"60\" }", "storage.retentionCheckInterval: \"60\" is not a duration; use \"60s\"")]
    [InlineData("storage: { lockTimeout: \"5\" }", "storage.lockTimeout: \"5\" is not a duration; use \"5s\"")]
    [InlineData("storage: { retentionCheckInterval: \"1h\" }", "storage.retentionCheckInterval: has no effect without storage.retention; set the retention period too, e.g. retention: \"7y\", or remove this key")]
    public void Refused_WithTheKeyAndAFix(string yaml, string expected)
    {
        Assert.Contains(expected, Errors(yaml));
    }

    [Fact]
    public void LoadStorage_ForTheCli_ReadsRetention()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("proctor-retention-").FullName, "proctor.yaml");
        File.WriteAllText(file, "storage: { path: keys.db, retention: \"7y\" }\n");

        var (storage, errors) = ConfigurationLoader.LoadStorage(file, NoEnvironment);

        Assert.Empty(errors);
        Assert.Equal(new RetentionPeriod(7, RetentionUnit.Years), storage!.Retention);
        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
    }
}
