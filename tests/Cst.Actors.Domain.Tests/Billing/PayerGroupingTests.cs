using Cst.Actors.Domain.Billing;

namespace Cst.Actors.Domain.Tests.Billing;

public class PayerGroupingTests
{
    [Fact]
    public void Group_Capofila_PaysForItselfAndItsMembers()
    {
        // Beta pays 1,500.00 for itself and 761.00 for Gamma: 2,261.00; Alfa pays its 783.13.
        var payers = PayerGrouping.Group(BillingScenario.Statements());

        Assert.Equal(["000001 783.13 [000001]", "000002 2261.00 [000002, 000003]"],
            payers.Select(p => $"{p.PayerId} {p.Total} [{string.Join(", ", p.Members.Select(m => m.EnteId))}]"));
    }

    [Fact]
    public void PayerOf_ChainOfCapofila_EndsAtTheLast()
    {
        var capofila = new Dictionary<string, string?> { ["a"] = "b", ["b"] = "c", ["c"] = null };

        Assert.Equal("c", PayerGrouping.PayerOf("a", k => capofila.GetValueOrDefault(k)));
        Assert.Equal("c", PayerGrouping.PayerOf("c", k => capofila.GetValueOrDefault(k)));
    }

    [Fact]
    public void PayerOf_LoopOfCapofila_StopsWhereItCloses()
    {
        var capofila = new Dictionary<string, string?> { ["a"] = "b", ["b"] = "a" };

        Assert.Equal("b", PayerGrouping.PayerOf("a", k => capofila.GetValueOrDefault(k)));
    }
}
