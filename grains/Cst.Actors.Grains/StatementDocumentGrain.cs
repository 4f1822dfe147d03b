using System.Collections.Immutable;
using Cst.Actors.Contracts.Billing;
using Cst.Actors.Domain;
using Cst.Actors.Domain.Billing;
using Cst.Actors.Domain.Lifecycle;
using Cst.Actors.Domain.Validation;
using Cst.Actors.Grains.Infrastructure;
using Cst.Actors.Contracts.Enti;
using Cst.Actors.Documents;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Cst.Actors.Grains;

/// <summary>
/// The documents of one billing run (key <c>2025/final</c>): stateless, everything read from the billing tables and the
/// issuer's configuration each call, so any silo answers the same. Numbers are assigned by the run's close
/// (<see cref="IBillingStore.CloseAsync"/>), never here.
/// </summary>
[StatelessWorker]
[GrainType("statementdocuments")]
public sealed class StatementDocumentGrain(IBillingStore store, GrainServices services, IOptions<IssuerSettings> issuer)
    : Grain, IStatementDocumentGrain
{
    private (int Year, BillingRunMode Mode) Key => BillingRunKey.Parse(this.GetPrimaryKeyString());

    private string Subject => $"statements of the billing run {this.GetPrimaryKeyString()}";

    public async Task<ImmutableList<IssuedStatement>> GetIssuedAsync(int? revision)
    {
        if (Key.Mode != BillingRunMode.Final)
        {
            return [];
        }

        var run = await RevisionAsync(revision);
        return await store.IssuedAsync(run.Year, run.Revision);
    }

    public async Task<ImmutableList<string>> GetPayersAsync(int? revision)
    {
        var run = await RevisionAsync(revision);
        return [.. (await store.PayersAsync(run.Id)).Select(p => p.PayerId)];
    }

    public async Task<StatementFile> RenderAsync(int? revision, string payerId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(payerId);
        var run = await RevisionAsync(revision);
        var statements = await store.StatementsOfPayerAsync(run.Id, payerId);
        if (statements.Count == 0)
        {
            throw new IllegalTransitionException(Subject, "render",
                $"revision {run.Revision} has no statement addressed to payer {payerId}");
        }

        var payer = PayerGrouping.Group(statements).Single();
        var settings = issuer.Value;
        IssuedStatement? issued = null;
        if (run.Closed)
        {
            if (settings.Problems() is { Count: > 0 } problems)
            {
                throw new IllegalTransitionException(Subject, "issue",
                    $"the statement of {payerId} cannot be issued while the issuer's settings are incomplete: {string.Join("; ", problems)}");
            }

            issued = (await store.IssuedAsync(run.Year, run.Revision)).FirstOrDefault(d => d.PayerId == payerId)
                ?? throw new IllegalTransitionException(Subject, "render", $"revision {run.Revision} is closed but has no number for payer {payerId}");
        }

        var view = await GrainFactory.GetGrain<IEnteGrain>(payerId).GetAsync();
        var document = new StatementDocument(settings, payer, run.Year, Key.Mode, run.Revision, view.Registration.CodiceFiscale,
            view.Registration.ReferentePec, issued?.IssuedOn ?? services.Clock.Today())
        {
            NumberText = issued?.NumberText,
            DueDate = issued?.DueDate,
            NoticeCode = issued?.NoticeCode,
        };
        return new StatementFile(payer.PayerId, payer.PayerName, document.FileName, issued, StatementPdf.Render(document))
        {
            PayerCodiceFiscale = string.IsNullOrWhiteSpace(view.Registration.CodiceFiscale) ? null : view.Registration.CodiceFiscale,
        };
    }

    public async Task<IssuedStatement> SetNoticeCodeAsync(int? revision, string payerId, string noticeCode, string operatorName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(payerId);
        var op = BusinessTime.Operator(operatorName);
        var code = (noticeCode ?? string.Empty).Trim();
        if (code.Length != 18 || !code.All(char.IsAsciiDigit))
        {
            throw new OutOfRangeException("codice avviso", code,
                $"the PagoPA notice code (codice avviso) of {payerId} must be 18 digits, not '{code}'");
        }

        var run = await RevisionAsync(revision);
        if (!run.Closed)
        {
            throw new IllegalTransitionException(Subject, "record a notice code",
                $"revision {run.Revision} is not closed: only a numbered document gets a PagoPA notice code");
        }

        var before = (await store.IssuedAsync(run.Year, run.Revision)).FirstOrDefault(d => d.PayerId == payerId);
        if (before is null || !await store.RecordNoticeCodeAsync(run.Year, run.Revision, payerId, code))
        {
            throw new IllegalTransitionException(Subject, "record a notice code", $"revision {run.Revision} has no document for payer {payerId}");
        }

        await services.Audit.RecordAsync(new AuditEntry(op, services.Clock.GetCurrentInstant(), $"statement:{run.Year}/{run.Revision}/{payerId}",
            "pagopa notice code", before.NoticeCode ?? string.Empty, code));
        return before with { NoticeCode = code };
    }

    /// <summary>The revision asked for, which must be completed or closed.</summary>
    private async Task<(BillingRunId Id, int Year, int Revision, bool Closed)> RevisionAsync(int? revision)
    {
        var run = GrainFactory.GetGrain<IBillingRunGrain>(this.GetPrimaryKeyString());
        var latest = await run.GetProgressAsync();
        var n = revision ?? latest.Revision;
        if (latest.Status is not (BillingRunStatus.Completed or BillingRunStatus.Closed) && n == latest.Revision)
        {
            throw new IllegalTransitionException(Subject, "render",
                $"revision {n} is {latest.Status.ToString().ToLowerInvariant()}: statements are rendered from a completed run");
        }

        if (n > latest.Revision || n < (Key.Mode == BillingRunMode.Preview ? 0 : 1))
        {
            throw new IllegalTransitionException(Subject, "render", $"revision {n} has not been run (the latest is {latest.Revision})");
        }

        var closed = Key.Mode == BillingRunMode.Final && (n < latest.Revision || latest.Status == BillingRunStatus.Closed);
        return (new BillingRunId(Key.Year, Key.Mode, n), Key.Year, n, closed);
    }
}
