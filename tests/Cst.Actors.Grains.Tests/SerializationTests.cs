using System.Collections.Immutable;
using Cst.Actors.Contracts.Children;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Contracts.Serialization;
using Cst.Actors.Domain;
using Cst.Actors.Domain.Catalogue;
using Cst.Actors.Domain.Lifecycle;
using Cst.Actors.Domain.Pricing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Orleans.Serialization;
using Orleans.Serialization.Cloning;

namespace Cst.Actors.Grains.Tests;

/// <summary>Domain records through the Orleans serializer as silos and clients configure it (JSON codec, shallow copies).</summary>
public sealed class SerializationTests
{
    private static readonly ServiceProvider Services = new ServiceCollection().AddSerializer().AddCstSerialization().BuildServiceProvider();

    [Fact]
    public void EnteHistory_WithEveryKindOfSubscriptionFact_RoundTrips()
    {
        var history = new EnteHistory("028060", "cst-padova", new LocalDate(2021, 1, 1))
        {
            WithdrawnOn = new LocalDate(2029, 2, 28),
            Population = [new PopulationCount(2025, 4_200)],
            Subscriptions =
            [
                new Subscription("a@pec.it", "s.11", new LocalDate(2024, 2, 29))
                {
                    Variant = "pec-gold",
                    Quantity = 1.5m,
                    QuantityChanges = [new QuantityChange(new LocalDate(2025, 1, 1), 2.25m)],
                    VariantChanges = [new VariantChange(new LocalDate(2025, 6, 1), "pec-silver")],
                    DisdettaReceivedOn = new LocalDate(2025, 12, 31),
                    CeasedOn = new LocalDate(2026, 1, 1),
                    AgreedPrice = 1234.565m,
                    Consumption = [new ConsumptionRecord(new LocalDate(2025, 3, 3), 2m, "sms")],
                    Renewals = [new LocalDate(2025, 10, 15)],
                },
            ],
        };

        var copy = RoundTrip(history);

        Assert.Equal(history with { Population = [], Subscriptions = [] }, copy with { Population = [], Subscriptions = [] });
        Assert.Equal(history.Population, copy.Population);
        AssertSameSubscription(history.Subscriptions[0], copy.Subscriptions[0]);
    }

    /// <summary>
    /// A <see cref="ChildSnapshot"/> as the silos stored it before subscriptions had Orleans surrogates: each
    /// subscription a JSON field (bytes written by that version's serializer, for the snapshot built below).
    /// </summary>
    private const string SnapshotStoredAsJson =
        "IOgADUEbcy4xMy0wMjgwNjAtMQEdISAABTEBwa88hAlqc29uQHFDc3QuQWN0b3JzLkRvbWFpbi5QcmljaW5nLlN1YnNjcmlwdGlv" +
        "bixDc3QuQWN0b3JzLkRvbWFpbkFqBnsiSWQiOiJzLjEzLTAyODA2MC0xIiwiU2VydmljZUlkIjoicy4xMyIsIkFjdGl2YXRlZE9u" +
        "IjoiMjAyNC0wMi0yOSIsIlZhcmlhbnQiOiJiYXNlIiwiUXVhbnRpdHkiOjEyLCJRdWFudGl0eUNoYW5nZXMiOlt7IkVmZmVjdGl2" +
        "ZU9uIjoiMjAyNS0wMS0wMSIsIlF1YW50aXR5IjoyMH1dLCJWYXJpYW50Q2hhbmdlcyI6W3siRWZmZWN0aXZlT24iOiIyMDI1LTA2" +
        "LTAxIiwiVmFyaWFudCI6InBsdXMifV0sIkRpc2RldHRhUmVjZWl2ZWRPbiI6IjIwMjUtMTItMzEiLCJDZWFzZWRPbiI6IjIwMjYt" +
        "MDEtMDEiLCJBZ3JlZWRQcmljZSI6MTIzNC41NiwiQ29uc3VtcHRpb24iOlt7IlJlY29yZGVkT24iOiIyMDI1LTAzLTAzIiwiUXVh" +
        "bnRpdHkiOjIsIkNvbXBvbmVudElkIjoic21zIn1dLCJSZW5ld2FscyI6WyIyMDI1LTEwLTE1Il194DgDQHFDc3QuQWN0b3JzLkRv" +
        "bWFpbi5QcmljaW5nLlN1YnNjcmlwdGlvbixDc3QuQWN0b3JzLkRvbWFpbkGWA3siSWQiOiJzLjEzLTAyODA2MC0yIiwiU2Vydmlj" +
        "ZUlkIjoicy4xMyIsIkFjdGl2YXRlZE9uIjoiMjAyMC0xMC0wMSIsIlZhcmlhbnQiOm51bGwsIlF1YW50aXR5IjoxLCJRdWFudGl0" +
        "eUNoYW5nZXMiOltdLCJWYXJpYW50Q2hhbmdlcyI6W10sIkRpc2RldHRhUmVjZWl2ZWRPbiI6bnVsbCwiQ2Vhc2VkT24iOm51bGws" +
        "IkFncmVlZFByaWNlIjpudWxsLCJDb25zdW1wdGlvbiI6W10sIlJlbmV3YWxzIjpbXX3g4ODBAUEpYW50aXZpcnVzIDEyIGNsaWVu" +
        "dHPg";

    private static ChildSnapshot RichSnapshot() => new(ChildKind.HostedService, "s.13-028060-1", 7, [
        new Subscription("s.13-028060-1", "s.13", new LocalDate(2024, 2, 29))
        {
            Variant = "base",
            Quantity = 12m,
            QuantityChanges = [new QuantityChange(new LocalDate(2025, 1, 1), 20m)],
            VariantChanges = [new VariantChange(new LocalDate(2025, 6, 1), "plus")],
            DisdettaReceivedOn = new LocalDate(2025, 12, 31),
            CeasedOn = new LocalDate(2026, 1, 1),
            AgreedPrice = 1234.56m,
            Consumption = [new ConsumptionRecord(new LocalDate(2025, 3, 3), 2m, "sms")],
            Renewals = [new LocalDate(2025, 10, 15)],
        },
        new Subscription("s.13-028060-2", "s.13", new LocalDate(2020, 10, 1)),
    ], null, "antivirus 12 clients");

    [Fact]
    public void ChildSnapshot_StoredWithJsonSubscriptionsBefore_IsReadBackWhole()
    {
        var stored = Services.GetRequiredService<Serializer>().Deserialize<ChildSnapshot>(Convert.FromBase64String(SnapshotStoredAsJson));

        AssertSameSnapshot(RichSnapshot(), stored);
    }

    [Fact]
    public void ChildSnapshot_IsWrittenWithoutJson_AndRoundTrips()
    {
        var snapshot = RichSnapshot() with { Subscriptions = [.. RichSnapshot().Subscriptions, new Subscription("x", "s.11", new LocalDate(2025, 5, 5))] };
        var bytes = Services.GetRequiredService<Serializer>().SerializeToArray(snapshot);

        Assert.DoesNotContain("Cst.Actors.Domain", System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.True(bytes.Length < Convert.FromBase64String(SnapshotStoredAsJson).Length / 2,
            $"expected the snapshot of 3 subscriptions in less than half the bytes of 2 as JSON, got {bytes.Length}");
        AssertSameSnapshot(snapshot, Services.GetRequiredService<Serializer>().Deserialize<ChildSnapshot>(bytes));
    }

    private static void AssertSameSnapshot(ChildSnapshot expected, ChildSnapshot? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected with { Subscriptions = [] }, actual with { Subscriptions = [] });
        Assert.Equal(expected.Subscriptions.Count, actual.Subscriptions.Count);
        foreach (var (s, c) in expected.Subscriptions.Zip(actual.Subscriptions))
        {
            AssertSameSubscription(s, c);
        }
    }

    /// <summary>Records holding immutable lists compare the lists by reference: compare them by content.</summary>
    private static void AssertSameSubscription(Subscription expected, Subscription actual)
    {
        Assert.Equal(
            expected with { QuantityChanges = [], VariantChanges = [], Consumption = [], Renewals = [] },
            actual with { QuantityChanges = [], VariantChanges = [], Consumption = [], Renewals = [] });
        Assert.Equal(expected.QuantityChanges, actual.QuantityChanges);
        Assert.Equal(expected.VariantChanges, actual.VariantChanges);
        Assert.Equal(expected.Consumption, actual.Consumption);
        Assert.Equal(expected.Renewals, actual.Renewals);
    }

    [Fact]
    public void Statement_AndListino_RoundTripWithMoneyExact()
    {
        var listino = ListinoLoader.LoadShipped().Get("cst-padova");
        var statement = new Statement("028060", 2025,
        [
            new StatementLine("s.11", "PEC", "pec-gold", "PEC gold", "a@pec.it", new LocalDate(2025, 1, 1), new LocalDate(2026, 1, 1),
                1m, 12, Money.Euro(22m), Money.Euro(22m), "cst-padova", "2020-10", "s.11") { Note = "note" },
        ]);

        var statementCopy = RoundTrip(statement);
        var listinoCopy = RoundTrip(listino);

        Assert.Equal(statement.Lines, statementCopy.Lines);
        Assert.Equal(Money.Euro(22m), statementCopy.Total);
        Assert.Equal(listino.Versions.Length, listinoCopy.Versions.Length);
        Assert.Equal(
            listino.Versions[^1].FindService("s.11")!.Components.Select(c => (c.Id, c.Price)),
            listinoCopy.Versions[^1].FindService("s.11")!.Components.Select(c => (c.Id, c.Price)));
    }

    [Fact]
    public void ContractRecords_CarryingDomainValues_RoundTrip_AndDomainRecordsAreCopiedByReference()
    {
        var lifecycle = ServiceLifecycle.Request("PEC mailbox a@pec.it", new LocalDate(2024, 1, 1))
            .WithActivation(new LocalDate(2024, 1, 2), new LocalDate(2020, 1, 1))
            .WithDisdetta(new LocalDate(2024, 12, 31), "prot. 1");
        var snapshot = new ChildSnapshot(ChildKind.PecMailbox, "a@pec.it", 3,
            [new Subscription("a@pec.it", "s.11", new LocalDate(2024, 1, 2)) { Variant = "pec-gold" }], "pack", "summary");
        var state = new PecMailboxState { EnteId = "028060", Lifecycle = lifecycle, Variant = "pec-gold", Version = 3 };

        Assert.Equal(snapshot with { Subscriptions = [] }, RoundTrip(snapshot) with { Subscriptions = [] });
        Assert.Equal(snapshot.Subscriptions[0] with { }, RoundTrip(snapshot).Subscriptions[0]);
        Assert.Equal(lifecycle, RoundTrip(state).Lifecycle);
        Assert.Equal(ServiceStatus.DisdettaReceived, RoundTrip(ServiceStatus.DisdettaReceived));

        var copier = Services.GetRequiredService<DeepCopier>();
        Assert.Same(lifecycle, copier.Copy(lifecycle));
        Assert.Same(snapshot.Subscriptions[0], copier.Copy(snapshot).Subscriptions[0]);
    }

    [Fact]
    public void DomainError_RoundTrips_WithKindEntityAndMessage()
    {
        var error = new CstDomainError("IllegalTransition", "pecmailbox/a@pec.it", "PEC mailbox a@pec.it ceased on 2025-01-01");

        var copy = RoundTrip(error);

        Assert.Equal(error.Kind, copy.Kind);
        Assert.Equal(error.Entity, copy.Entity);
        Assert.Equal(error.Message, copy.Message);
    }

    private static T RoundTrip<T>(T value)
    {
        var serializer = Services.GetRequiredService<Serializer<T>>();
        return serializer.Deserialize(serializer.SerializeToArray(value))!;
    }
}
