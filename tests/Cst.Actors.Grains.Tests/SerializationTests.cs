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
        var (s, c) = (history.Subscriptions[0], copy.Subscriptions[0]);
        Assert.Equal(
            s with { QuantityChanges = [], VariantChanges = [], Consumption = [], Renewals = [] },
            c with { QuantityChanges = [], VariantChanges = [], Consumption = [], Renewals = [] });
        Assert.Equal(s.QuantityChanges, c.QuantityChanges);
        Assert.Equal(s.VariantChanges, c.VariantChanges);
        Assert.Equal(s.Consumption, c.Consumption);
        Assert.Equal(s.Renewals, c.Renewals);
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
