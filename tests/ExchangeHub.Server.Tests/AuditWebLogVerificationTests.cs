// This file is part of ExchangeHub.

using System.Net.Http.Json;
using System.Text.Json;
using ExchangeHub.Core.Storage;

namespace ExchangeHub.Server.Tests;

/// <summary>The log's verification status on the privacy officer's page: OK, and FAILED once a record is edited.</summary>
public sealed class AuditWebLogVerificationTests(AuditWebHub.Reverifying hub) : IClassFixture<AuditWebHub.Reverifying>
{
    [Fact]
    public async Task Log_RecordEditedInTheDatabase_VerificationFailsAtThatEntry()
    {
        using var client = AuditWebClient.Create(hub, hub.Pki.PrivacyOfficer);
        var before = await VerifiedAsync(client);
        Assert.Equal(("ok", 0), (before.GetProperty("result").GetString(), before.GetProperty("findings").GetArrayLength()));

        // Someone with the database file edits entry 2 (the triggers are a seatbelt, not the protection).
        await using (var connection = await hub.Service<SqliteHubDatabase>().OpenAsync())
        {
            await using var edit = connection.CreateCommand();
            edit.CommandText = "DROP TRIGGER log_leaves_no_update; UPDATE log_leaves SET entry = CAST(entry || x'00' AS BLOB) WHERE seq = 2";
            await edit.ExecuteNonQueryAsync();
        }

        var after = await VerifiedAsync(client);

        Assert.Equal("failed", after.GetProperty("result").GetString());
        var first = after.GetProperty("findings")[0];
        Assert.Equal(("EntryHashMismatch", 2), (first.GetProperty("kind").GetString(), first.GetProperty("position").GetInt64()));
        Assert.Contains(hub.Logs.Records, r => r.EventId.Id == 4152 && r.Message.Contains("EntryHashMismatch at position 2", StringComparison.Ordinal));

        // Nor does the page count from a record it cannot read.
        using var figures = await client.GetAsync(new Uri("api/disclosures", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, figures.StatusCode);
        var error = await figures.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("EH4015", error.GetProperty("error").GetString());
        Assert.StartsWith("EH4015: Leaf 2 of the disclosure log cannot be read", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Looks at the log until a verification started after the first look has finished (the page polls the same way).</summary>
    private static async Task<JsonElement> VerifiedAsync(HttpClient client)
    {
        var started = DateTimeOffset.UtcNow;
        var deadline = started.AddMinutes(1);
        while (true)
        {
            var verification = (await client.GetJsonAsync("log")).GetProperty("verification");
            // Only a finished run has a result; with VerificationMaxAge 0 each look starts the next one.
            if (verification.GetProperty("startedAt").ValueKind == JsonValueKind.String
                && verification.GetProperty("startedAt").GetDateTimeOffset() >= started)
            {
                return verification;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, "the verification did not finish within a minute");
            await Task.Delay(100);
        }
    }
}
