using System.Collections.Immutable;
using System.Globalization;
using Cst.Actors.Contracts.Catalogue;
using Cst.Actors.Contracts.Children;
using Cst.Actors.Contracts.Enti;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Contracts.Firma;
using Cst.Actors.Contracts.Pec;
using Cst.Actors.Contracts.Services;
using Cst.Actors.Domain.Catalogue;
using Cst.Actors.Domain.Pricing;
using NodaTime;
using NodaTime.Text;

namespace Cst.Actors.Contracts.Import;

/// <summary>
/// Applies an import document through the grains' idempotent calls. Usable wherever there is an
/// <see cref="IGrainFactory"/>: a client (<c>IClusterClient</c>, the admin's <c>cst import</c>) or a silo (the demo data).
/// <para>
/// <b>All-or-nothing per ente.</b> An ente and its mailboxes, devices and services live in several grains, so there is
/// no transaction spanning them. The guarantee is built in three steps: (1) the whole ente is checked with the pure
/// domain (<see cref="ImportValidator"/>) and (2) against what the engine already holds (an object of the document
/// that exists with other facts: another ente, another request, issue or activation, another disdetta or withdrawal
/// date), and an ente that fails either check is <see cref="ImportOutcome.Refused"/> before anything of it is
/// written; (3) only then are its operations applied, in date order, each an idempotent upsert. If step 3 still fails
/// half-way (the database, a rule only a grain can see, a concurrent operator) the ente is reported
/// <see cref="ImportOutcome.Failed"/> with what was written kept; importing the same file again replays the done
/// operations as no-ops and completes the rest, so the engine converges on the document. Other enti are unaffected.
/// A parsed CSV (<see cref="ImportAsync(ImportParseResult, string, CancellationToken)"/>) adds one rule: steps 1 and 2
/// run for every row first, and one refused row means nothing of the file is written (docs/import-format.md says why).
/// </para>
/// <para>
/// Order: enti that are another's capofila first (the payer must exist); within an ente, registration, population,
/// payer, then each mailbox (request, activation, dated changes), device (issue, renewals, revocation) and service
/// (activation, dated changes and consumption, disdetta, cessation), and the withdrawal last.
/// </para>
/// </summary>
public sealed class CstImporter(IGrainFactory grains)
{
    /// <summary>How many enti are imported at the same time (within one level of the capofila order).</summary>
    public int Parallelism { get; init; } = 4;

    /// <summary>
    /// Bulk mode, for large imports: an ente's objects with no stored state (all of a new ente's) are applied in one
    /// call (<see cref="IImportObjectsGrain"/>: no activation each, their rows in batches, one ente write); each other
    /// object is brought to the document's facts by one call (<c>ImportAsync</c>: one state write, one reminder
    /// arming, one audit insert, however many operations), <see cref="ObjectParallelism"/> at a time, and their
    /// snapshots are attached to the ente in one write (<see cref="IEnteGrain.AttachImportedAsync"/>) instead of one
    /// ente write per operation. The checks, the outcomes and the replay guarantees are those of the default mode.
    /// </summary>
    public bool Bulk { get; init; }

    /// <summary>In <see cref="Bulk"/> mode, how many objects of one ente are imported at the same time.</summary>
    public int ObjectParallelism { get; init; } = 8;

    /// <summary>Told after each ente is done (imported, unchanged, refused or failed), from any thread.</summary>
    public IProgress<ImportProgress>? Progress { get; init; }

    /// <summary>Imports <paramref name="document"/>, recording every change under <paramref name="operatorName"/>.</summary>
    public async Task<ImportReport> ImportAsync(ImportDocument document, string operatorName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentException.ThrowIfNullOrWhiteSpace(operatorName);
        var count = document.Enti.Count;
        var results = new EnteImportResult?[count];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var objectsTotal = document.Enti.Sum(ObjectCount);
        int entiDone = 0;
        long objectsDone = 0;
        void Done(int i)
        {
            var enti = Interlocked.Increment(ref entiDone);
            var objects = Interlocked.Add(ref objectsDone, ObjectCount(document.Enti[i]));
            Progress?.Report(new ImportProgress(enti, count, objects, objectsTotal, clock.Elapsed));
        }

        var checks = await CheckDocumentAsync(document).ConfigureAwait(false);
        for (var i = 0; i < count; i++)
        {
            if (!checks[i].Valid)
            {
                results[i] = Result(i, document.Enti[i], checks[i].EnteId, ImportOutcome.Refused, 0, checks[i].Reasons);
            }
        }

        // Levels of the capofila order: an ente whose capofila is in the document waits for it.
        var indexByKey = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            if (results[i] is null)
            {
                indexByKey.TryAdd(checks[i].EnteId!, i);
            }
        }

        var pending = Enumerable.Range(0, count).Where(i => results[i] is null).ToHashSet();
        while (pending.Count > 0)
        {
            var ready = new List<int>();
            foreach (var i in pending)
            {
                var capofila = Capofila(document.Enti[i]);
                if (capofila is null || !indexByKey.TryGetValue(capofila, out var lead) || lead == i)
                {
                    ready.Add(i);
                }
                else if (results[lead] is { } leadResult)
                {
                    if (leadResult.Outcome is ImportOutcome.Refused or ImportOutcome.Failed)
                    {
                        results[i] = Result(i, document.Enti[i], checks[i].EnteId, ImportOutcome.Refused, 0,
                            [$"its capofila {capofila} was not imported ({leadResult.Outcome.ToString().ToLowerInvariant()})"]);
                    }
                    else
                    {
                        ready.Add(i);
                    }
                }
            }

            pending.RemoveWhere(i => results[i] is not null);
            if (ready.Count == 0)
            {
                foreach (var i in pending)
                {
                    results[i] = Result(i, document.Enti[i], checks[i].EnteId, ImportOutcome.Refused, 0,
                        [$"its capofila {Capofila(document.Enti[i])} is part of a cycle of capofila in this document"]);
                }

                break;
            }

            await Parallel.ForEachAsync(ready, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Parallelism), CancellationToken = cancellationToken },
                async (i, _) =>
                {
                    results[i] = await ImportEnteAsync(i, document.Enti[i], checks[i].EnteId!, operatorName,
                        capofilaInDocument: Capofila(document.Enti[i]) is { } c && indexByKey.ContainsKey(c)).ConfigureAwait(false);
                    Done(i);
                })
                .ConfigureAwait(false);
            pending.ExceptWith(ready);
        }

        return new ImportReport([.. results.Select(r => r!)]);
    }

    /// <summary>
    /// Imports a parsed file. A file that could not be read (<see cref="ImportParseResult.Document"/> null) writes
    /// nothing and reports its errors. A JSON document is imported ente by ente (<see cref="ImportAsync(ImportDocument, string, CancellationToken)"/>).
    /// A CSV (<see cref="ImportParseResult.WholeFile"/>) is imported whole or not at all: every row is read and
    /// checked (steps 1 and 2, reading only); if any is refused, nothing is written and the report lists each row
    /// refused with its reasons and the others as not imported; otherwise it is applied as a JSON document is.
    /// </summary>
    public async Task<ImportReport> ImportAsync(ImportParseResult file, string operatorName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentException.ThrowIfNullOrWhiteSpace(operatorName);
        var empty = new ImportReport([]) { Errors = file.Errors, Notes = file.Notes, WholeFile = file.WholeFile };
        if (file.Document is not { } document)
        {
            return empty;
        }

        var leftOut = file.LeftOut.Select(row => (row.Line, Result: new EnteImportResult(-1, row.Key, row.Name, ImportOutcome.Refused, 0,
            [.. file.Errors.Where(e => e.Line == row.Line).Select(e => e.ToString())]) { Line = row.Line })).ToList();
        int LineOf(int i) => i < file.Lines.Count ? file.Lines[i] : 0;

        ImportReport report;
        var refusals = file.WholeFile ? await RefusalsAsync(document).ConfigureAwait(false) : [];
        if (file.WholeFile && (leftOut.Count > 0 || refusals.Any(r => r is not null)))
        {
            var refused = leftOut.Count + refusals.Count(r => r is not null);
            var note = $"the file has {refused} refused {(refused == 1 ? "ente" : "enti")}, and a CSV is imported whole or not at all: nothing of it was written";
            var checkedEnti = document.Enti.Select((ente, i) => Result(i, ente, EnteKeyOf(ente), refusals[i] is null ? ImportOutcome.NotImported : ImportOutcome.Refused, 0,
                refusals[i] ?? [note]));
            report = new ImportReport([.. checkedEnti]);
        }
        else
        {
            report = await ImportAsync(document, operatorName, cancellationToken).ConfigureAwait(false);
        }

        var numbered = report.Enti.Select((r, i) => (Line: LineOf(i), Result: r with { Line = LineOf(i) }));
        return empty with { Enti = [.. numbered.Concat(leftOut).OrderBy(r => r.Line).Select(r => r.Result)] };
    }

    /// <summary>Steps 1 and 2 for every ente of the document, reading only: the reasons to refuse each (null: none).</summary>
    private async Task<List<ImmutableList<string>?>> RefusalsAsync(ImportDocument document)
    {
        var checks = await CheckDocumentAsync(document).ConfigureAwait(false);
        var keys = checks.Where(c => c.Valid).Select(c => c.EnteId!).ToHashSet(StringComparer.Ordinal);
        var result = new List<ImmutableList<string>?>();
        for (var i = 0; i < checks.Length; i++)
        {
            if (!checks[i].Valid)
            {
                result.Add(checks[i].Reasons);
                continue;
            }

            var ente = document.Enti[i];
            var (reasons, _, _) = await CheckAgainstEngineAsync(ente, checks[i].EnteId!, capofilaInDocument: Capofila(ente) is { } c && keys.Contains(c)).ConfigureAwait(false);
            result.Add(reasons.Count > 0 ? [.. reasons] : null);
        }

        return result;
    }

    /// <summary>Step 1 for every ente, and the keys given twice.</summary>
    private async Task<EnteCheck[]> CheckDocumentAsync(ImportDocument document)
    {
        var listini = await LoadListiniAsync(document).ConfigureAwait(false);

        // The grains' business date: a document replaying history cannot report facts after it.
        var today = await grains.GetGrain<Admin.IAdminQueryGrain>(Admin.IAdminQueryGrain.Key).TodayAsync().ConfigureAwait(false);
        var checks = new EnteCheck[document.Enti.Count];
        for (var i = 0; i < checks.Length; i++)
        {
            checks[i] = ImportValidator.Check(document.Enti[i], id => listini.GetValueOrDefault(id), today);
        }

        RejectDuplicates(document, checks);
        return checks;
    }

    /// <summary>The key the report names a checked ente by (the validator has said whether it is a valid one).</summary>
    private static string? EnteKeyOf(ImportEnte ente) => Blank(ente.IstatCode) ?? Blank(ente.CodiceFiscale);

    private async Task<Dictionary<string, Listino>> LoadListiniAsync(ImportDocument document)
    {
        var catalogue = grains.GetGrain<ICatalogueGrain>(ICatalogueGrain.Key);
        var known = (await catalogue.GetListinoIdsAsync().ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var result = new Dictionary<string, Listino>(StringComparer.Ordinal);
        foreach (var id in document.Enti.Select(ListinoOf).Distinct(StringComparer.Ordinal).Where(known.Contains))
        {
            result[id] = await catalogue.GetListinoAsync(id).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>An ente key, mailbox, serial or service key given twice: the later occurrences are refused.</summary>
    private static void RejectDuplicates(ImportDocument document, EnteCheck[] checks)
    {
        var enti = new Dictionary<string, int>(StringComparer.Ordinal);
        var objects = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < checks.Length; i++)
        {
            if (checks[i].EnteId is not { } key)
            {
                continue;
            }

            var extra = new List<string>();
            if (!enti.TryAdd(key, i))
            {
                extra.Add($"ente {key} already appears as enti[{enti[key]}] of this document");
            }

            var ente = document.Enti[i];
            var keys = ente.Mailboxes.Select(m => "PEC mailbox " + ImportValidator.MailboxKey(m))
                .Concat(ente.Devices.Select(d => "firma device " + d.Serial.Trim()))
                .Concat(ente.Services.Where(s => !string.IsNullOrWhiteSpace(s.Service)).Select(s => "service " + ImportValidator.ServiceKey(key, s)));
            foreach (var objectKey in keys.Distinct(StringComparer.Ordinal))
            {
                if (objects.TryGetValue(objectKey, out var first) && first != i)
                {
                    extra.Add($"{objectKey} also appears under enti[{first}] of this document");
                }
                else
                {
                    objects.TryAdd(objectKey, i);
                }
            }

            if (extra.Count > 0)
            {
                checks[i] = checks[i] with { Reasons = checks[i].Reasons.AddRange(extra) };
            }
        }
    }

    private async Task<EnteImportResult> ImportEnteAsync(int index, ImportEnte ente, string key, string op, bool capofilaInDocument)
    {
        try
        {
            var (reasons, stored, enteHeld) = await CheckAgainstEngineAsync(ente, key, capofilaInDocument).ConfigureAwait(false);
            if (reasons.Count > 0)
            {
                return Result(index, ente, key, ImportOutcome.Refused, 0, [.. reasons]);
            }

            int changes;
            ImmutableList<string> updated;
            bool existed;
            if (Bulk && !enteHeld)
            {
                // A new ente (the check just found none): created here, so it changed, with no calls to fingerprint it.
                existed = false;
                (var changedObjects, updated) = await ApplyBulkAsync(ente, key, op, stored, knownNew: true).ConfigureAwait(false);
                changes = 1 + changedObjects;
            }
            else if (Bulk)
            {
                var own = (await FingerprintAsync(ente, key, withChildren: false).ConfigureAwait(false)).Ente;
                existed = own.Length > 0;
                (var changedObjects, updated) = await ApplyBulkAsync(ente, key, op, stored).ConfigureAwait(false);
                changes = (own == (await FingerprintAsync(ente, key, withChildren: false).ConfigureAwait(false)).Ente ? 0 : 1) + changedObjects;
            }
            else
            {
                var before = await FingerprintAsync(ente, key).ConfigureAwait(false);
                existed = before.Ente.Length > 0;
                updated = await ApplyAsync(ente, key, op).ConfigureAwait(false);
                var after = await FingerprintAsync(ente, key).ConfigureAwait(false);
                changes = (before.Ente == after.Ente ? 0 : 1) + after.Children.Count(c => before.Children.GetValueOrDefault(c.Key) != c.Value);
            }

            // An existing ente whose identity or payer changed says what changed.
            var outcome = changes == 0 ? ImportOutcome.Unchanged : existed ? ImportOutcome.Updated : ImportOutcome.Created;
            return Result(index, ente, key, outcome, changes, []) with { Details = updated };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A domain error a grain raised, the database, a timeout: this ente stops here, the others go on.
            return Result(index, ente, key, ImportOutcome.Failed, 0,
                [$"{e.Message} (what was written before stays; import the same file again after fixing the cause)"]);
        }
    }

    /// <summary>
    /// The facts the document states that the engine already holds otherwise: reasons to refuse the ente unwritten;
    /// and in <see cref="Bulk"/> mode the objects of the document that have a stored state (null: all may have one).
    /// </summary>
    private async Task<(List<string> Reasons, HashSet<ChildKey>? Stored, bool Held)> CheckAgainstEngineAsync(ImportEnte ente, string key, bool capofilaInDocument)
    {
        var reasons = new List<string>();
        var enteGrain = grains.GetGrain<IEnteGrain>(key);
        var enteHeld = await enteGrain.ExistsAsync().ConfigureAwait(false);
        if (enteHeld)
        {
            var view = await enteGrain.GetAsync().ConfigureAwait(false);
            if (view.WithdrawnOn is { } w && ente.WithdrawnOn != w)
            {
                reasons.Add($"ente {key} withdrew on {Iso(w)}; the document says {(ente.WithdrawnOn is { } d ? "it withdrew on " + Iso(d) : "it has not withdrawn")}");
            }

            if (Blank(ente.Listino) is not null && view.Registration.ListinoId != ListinoOf(ente))
            {
                reasons.Add($"ente {key} is billed on listino {view.Registration.ListinoId}; the document says {ListinoOf(ente)}, which would reprice its past statements");
            }
        }

        if (Capofila(ente) is { } capofila && !capofilaInDocument
            && !await grains.GetGrain<IEnteGrain>(capofila).ExistsAsync().ConfigureAwait(false))
        {
            reasons.Add($"capofila {capofila} of ente {key} is neither registered nor in this document");
        }

        // Only the objects with a stored state can hold other facts: asked in one query, not one activation each.
        var stored = Bulk
            ? (await grains.GetGrain<IImportLookupGrain>(IImportLookupGrain.Key).HeldAsync([.. ente.Mailboxes.Select(m => new ChildKey(ChildKind.PecMailbox, ImportValidator.MailboxKey(m)))
                .Concat(ente.Devices.Select(d => new ChildKey(ChildKind.FirmaDevice, d.Serial.Trim())))
                .Concat(ente.Services.Select(s => new ChildKey(ChildKind.HostedService, ImportValidator.ServiceKey(key, s))))]).ConfigureAwait(false))
                .ToHashSet()
            : null;
        bool MayExist(ChildKind kind, string objectKey) => stored is null || stored.Contains(new ChildKey(kind, objectKey));

        foreach (var m in ente.Mailboxes)
        {
            var address = ImportValidator.MailboxKey(m);
            if (!MayExist(ChildKind.PecMailbox, address)
                || await TryGetAsync(() => grains.GetGrain<IPecMailboxGrain>(address).GetAsync()).ConfigureAwait(false) is not { } held)
            {
                continue;
            }

            var pack = Blank(m.CustomDomainPack);
            if (held.EnteId != key || held.RequestedOn != m.RequestedOn || held.CustomDomainPackId != pack)
            {
                reasons.Add($"PEC mailbox {address} is held for ente {held.EnteId}, requested on {Iso(held.RequestedOn)}"
                    + $"{(held.CustomDomainPackId is { } p ? " in pack " + p : string.Empty)}; the document requests it for ente {key} on {Iso(m.RequestedOn!.Value)}"
                    + $"{(pack is null ? string.Empty : " in pack " + pack)}");
            }
            else if (held.Subscriptions.FirstOrDefault(s => s.Id == address) is { } billed && pack is null
                && (billed.Variant ?? string.Empty) != Domain.Lifecycle.CatalogueChecks.PecTierVariant(
                    await grains.GetGrain<ICatalogueGrain>(ICatalogueGrain.Key).GetListinoAsync(ListinoOf(ente)).ConfigureAwait(false),
                    m.Tier, m.RequestedOn!.Value))
            {
                reasons.Add($"PEC mailbox {address} started on variant {billed.Variant}; the document says tier '{m.Tier}'");
            }

            if (held.ActivatedOn is { } a && m.ActivatedOn is { } b && a != b)
            {
                reasons.Add($"PEC mailbox {address} is active from {Iso(a)}; the document says from {Iso(b)}");
            }

            if (held.DisdettaReceivedOn is { } d && m.Disdetta?.ReceivedOn is { } e && d != e)
            {
                reasons.Add($"PEC mailbox {address} has a disdetta received on {Iso(d)}; the document says {Iso(e)}");
            }
        }

        foreach (var device in ente.Devices)
        {
            var serial = device.Serial.Trim();
            if (!MayExist(ChildKind.FirmaDevice, serial)
                || await TryGetAsync(() => grains.GetGrain<IFirmaDeviceGrain>(serial).GetAsync()).ConfigureAwait(false) is not { } held)
            {
                continue;
            }

            if (held.EnteId != key || held.Kind != device.Kind || held.Holder != device.Holder.Trim() || held.IssuedOn != device.IssuedOn)
            {
                reasons.Add($"firma device {serial} was issued on {Iso(held.IssuedOn)} to {held.Holder} of ente {held.EnteId} ({held.Kind}); "
                    + $"the document issues it on {Iso(device.IssuedOn!.Value)} to {device.Holder.Trim()} of ente {key} ({device.Kind})");
            }

            var lastHeld = held.RenewedOn.Count > 0 ? held.RenewedOn[^1] : (LocalDate?)null;
            foreach (var renewal in device.RenewedOn.Where(r => !held.RenewedOn.Contains(r) && lastHeld is { } l && r <= l))
            {
                reasons.Add($"firma device {serial} was last renewed on {Iso(lastHeld!.Value)}; the document's renewal on {Iso(renewal)} comes before it");
            }

            if (held.RevokedOn is { } r && device.Revocation is { On: { } o } rev && (r != o || held.RevocationReason != rev.Reason))
            {
                reasons.Add($"firma device {serial} was revoked on {Iso(r)} ({held.RevocationReason}); the document says {Iso(o)} ({rev.Reason})");
            }
        }

        foreach (var s in ente.Services)
        {
            var serviceKey = ImportValidator.ServiceKey(key, s);
            if (!MayExist(ChildKind.HostedService, serviceKey)
                || await TryGetAsync(() => grains.GetGrain<IHostedServiceGrain>(serviceKey).GetAsync()).ConfigureAwait(false) is not { } held)
            {
                continue;
            }

            var sub = held.Subscription;
            if (sub.ActivatedOn != s.ActivatedOn || sub.Variant != Blank(s.Variant) || sub.Quantity != s.Quantity || sub.AgreedPrice != s.AgreedPrice)
            {
                reasons.Add($"service {serviceKey} is held active from {Iso(sub.ActivatedOn)} (variant {sub.Variant ?? "none"}, quantity {Number(sub.Quantity)}"
                    + $"{(sub.AgreedPrice is { } p ? ", agreed price EUR " + Number(p) : string.Empty)}); the document activates it on {Iso(s.ActivatedOn!.Value)} "
                    + $"(variant {Blank(s.Variant) ?? "none"}, quantity {Number(s.Quantity)}{(s.AgreedPrice is { } q ? ", agreed price EUR " + Number(q) : string.Empty)})");
            }

            if (sub.DisdettaReceivedOn is { } d && s.Disdetta?.ReceivedOn is { } e && d != e)
            {
                reasons.Add($"service {serviceKey} has a disdetta received on {Iso(d)}; the document says {Iso(e)}");
            }
        }

        return (reasons, stored, enteHeld);
    }

    /// <summary>
    /// The ente's own facts: registered when new; when it exists, an identity that differs is an edit and a payer
    /// that differs a payer change, each reported (<c>updated: name 'X' → 'Y'</c>), never a silent rewrite. Returns
    /// the report's lines.
    /// </summary>
    /// <param name="knownNew">The import's check just found no such ente: create it without asking again (a create refuses an existing one).</param>
    private static async Task<ImmutableList<string>> ApplyEnteAsync(IEnteGrain enteGrain, ImportEnte ente, string op, bool knownNew = false)
    {
        var wanted = new EnteRegistration(ente.Name.Trim(), ente.Kind, Blank(ente.IstatCode), Blank(ente.CodiceFiscale),
            ente.AdheredOn!.Value, ListinoOf(ente), Blank(ente.ReferentePec), Blank(ente.ReferenteEmail), Blank(ente.ReferenteName));
        var updates = new List<string>();
        var capofila = Capofila(ente);
        var fromYear = ente.CapofilaFrom ?? wanted.AdheredOn.Year;
        if (!knownNew && await enteGrain.ExistsAsync().ConfigureAwait(false))
        {
            var held = await enteGrain.GetAsync().ConfigureAwait(false);

            // What the document does not give (a CSV without the referente's columns, say) stays as held: only a
            // value given and different is a change.
            var had = held.Registration;
            wanted = wanted with
            {
                IstatCode = wanted.IstatCode ?? had.IstatCode,
                CodiceFiscale = wanted.CodiceFiscale ?? had.CodiceFiscale,
                ListinoId = Blank(ente.Listino) is null ? had.ListinoId : wanted.ListinoId,
                ReferentePec = wanted.ReferentePec ?? had.ReferentePec,
                ReferenteEmail = wanted.ReferenteEmail ?? had.ReferenteEmail,
                ReferenteName = wanted.ReferenteName ?? had.ReferenteName,
            };
            var changes = EnteChanges.Between(had, wanted);
            if (changes.Count > 0)
            {
                await enteGrain.EditAsync(wanted, op).ConfigureAwait(false);
                updates.Add(EnteChanges.Describe(changes));
            }

            foreach (var p in ente.Population.OrderBy(p => p.Year))
            {
                await enteGrain.SetPopulationAsync(p.Year, p.Inhabitants, op).ConfigureAwait(false);
            }

            // A document without a year that gives no capofila, or the payer in force now, leaves the history as it is.
            var adhered = wanted.AdheredOn.Year;
            var payers = PayerHistory.From(held.Payers, fromYear, capofila);
            var agrees = ente.CapofilaFrom is null
                && (capofila is null || (held.Payers.Count == 0 ? null : held.Payers[^1].CapofilaId) == capofila);
            if (!agrees && !payers.SequenceEqual(held.Payers))
            {
                await enteGrain.SetPayerAsync(capofila, fromYear, op).ConfigureAwait(false);
                updates.Add($"{PayerHistory.Describe(held.Payers, adhered)} → {PayerHistory.Describe(payers, adhered)}");
            }
        }
        else
        {
            // A new ente is created with its populations and its payer from the adhesion year in one write.
            var population = ente.Population.GroupBy(p => p.Year).Select(g => new PopulationCount(g.Key, g.Last().Inhabitants));
            await enteGrain.CreateAsync(new EnteCreation(wanted, [.. population], ente.CapofilaFrom is null ? capofila : null), op).ConfigureAwait(false);
            if (ente.CapofilaFrom is not null)
            {
                await enteGrain.SetPayerAsync(capofila, fromYear, op).ConfigureAwait(false);
            }
        }

        return [.. updates];
    }

    private async Task<ImmutableList<string>> ApplyAsync(ImportEnte ente, string key, string op)
    {
        var enteGrain = grains.GetGrain<IEnteGrain>(key);
        var updated = await ApplyEnteAsync(enteGrain, ente, op).ConfigureAwait(false);

        foreach (var m in ente.Mailboxes)
        {
            var mailbox = grains.GetGrain<IPecMailboxGrain>(ImportValidator.MailboxKey(m));
            await mailbox.RequestAsync(new PecMailboxRequest(key, m.Tier, m.RequestedOn!.Value, Blank(m.CustomDomainPack)), op).ConfigureAwait(false);
            if (m.ActivatedOn is not { } activated)
            {
                continue;
            }

            await mailbox.ActivateAsync(activated, op).ConfigureAwait(false);
            var steps = new List<(LocalDate On, int Order, Func<Task> Run)>();
            steps.AddRange(m.TierChanges.Select(t => (t.EffectiveOn!.Value, 0, (Func<Task>)(() => mailbox.ChangeTierAsync(t.EffectiveOn!.Value, t.Tier, op)))));
            steps.AddRange(m.ExtraSpaceGb.Select(q => (q.EffectiveOn!.Value, 1, (Func<Task>)(() => mailbox.SetExtraSpaceAsync(q.EffectiveOn!.Value, q.Quantity, op)))));
            steps.AddRange(m.ConservazioneGb.Select(q => (q.EffectiveOn!.Value, 2, (Func<Task>)(() => mailbox.SetConservazioneAsync(q.EffectiveOn!.Value, q.Quantity, op)))));
            if (m.Disdetta is { ReceivedOn: { } received } d)
            {
                steps.Add((received, 3, () => mailbox.ReceiveDisdettaAsync(received, d.Evidence, op)));
            }

            await RunInDateOrderAsync(steps).ConfigureAwait(false);
        }

        foreach (var d in ente.Devices)
        {
            var device = grains.GetGrain<IFirmaDeviceGrain>(d.Serial.Trim());
            await device.IssueAsync(new FirmaDeviceIssue(key, d.Kind, d.Holder.Trim(), d.IssuedOn!.Value), op).ConfigureAwait(false);
            foreach (var renewal in d.RenewedOn.Order())
            {
                await device.RenewAsync(renewal, op).ConfigureAwait(false);
            }

            if (d.Revocation is { On: { } on } revocation)
            {
                await device.RevokeAsync(on, revocation.Reason, op).ConfigureAwait(false);
            }
        }

        foreach (var s in ente.Services)
        {
            var service = grains.GetGrain<IHostedServiceGrain>(ImportValidator.ServiceKey(key, s));
            await service.ActivateAsync(new HostedServiceActivation(Blank(s.Variant), s.ActivatedOn!.Value, s.Quantity, s.AgreedPrice), op).ConfigureAwait(false);
            var steps = new List<(LocalDate On, int Order, Func<Task> Run)>();
            steps.AddRange(s.QuantityChanges.Select(q => (q.EffectiveOn!.Value, 0, (Func<Task>)(() => service.ChangeQuantityAsync(q.EffectiveOn!.Value, q.Quantity, op)))));
            steps.AddRange(s.Consumption.Select(c => (c.RecordedOn!.Value, 1, (Func<Task>)(() => service.RecordConsumptionAsync(
                new ConsumptionEntry(c.Id.Trim(), c.RecordedOn!.Value, c.Quantity, Blank(c.Component)), op)))));
            if (s.Disdetta is { ReceivedOn: { } received } d)
            {
                steps.Add((received, 2, () => service.ReceiveDisdettaAsync(received, d.Evidence, op)));
            }

            if (s.CeasedOn is { } ceased)
            {
                steps.Add((ceased, 3, () => service.CeaseAsync(ceased, op)));
            }

            await RunInDateOrderAsync(steps).ConfigureAwait(false);
        }

        if (ente.WithdrawnOn is { } withdrawn)
        {
            await enteGrain.WithdrawAsync(withdrawn, op).ConfigureAwait(false);
        }

        return updated;
    }

    /// <summary>
    /// <see cref="Bulk"/> mode: the ente's own facts as in the default mode; the objects with no stored state (all of a
    /// new ente's) in one call (<see cref="IImportObjectsGrain"/>: no activation each, one ente write); the others by
    /// one <c>ImportAsync</c> each, the snapshots of those that succeeded attached in one call (also when another
    /// failed: what was written is kept, as in the default mode); the withdrawal last. Returns how many objects
    /// changed, and the ente's report lines.
    /// </summary>
    private async Task<(int ChangedObjects, ImmutableList<string> Updated)> ApplyBulkAsync(ImportEnte ente, string key, string op, HashSet<ChildKey>? stored, bool knownNew = false)
    {
        var enteGrain = grains.GetGrain<IEnteGrain>(key);
        var updated = await ApplyEnteAsync(enteGrain, ente, op, knownNew).ConfigureAwait(false);

        bool IsNew(ChildKind kind, string objectKey) => stored is not null && !stored.Contains(new ChildKey(kind, objectKey));
        var newMailboxes = ente.Mailboxes.Where(m => IsNew(ChildKind.PecMailbox, ImportValidator.MailboxKey(m))).ToImmutableList();
        var newDevices = ente.Devices.Where(d => IsNew(ChildKind.FirmaDevice, d.Serial.Trim())).ToImmutableList();
        var newServices = ente.Services.Where(s => IsNew(ChildKind.HostedService, ImportValidator.ServiceKey(key, s))).ToImmutableList();
        var imports = ente.Mailboxes.Where(m => !IsNew(ChildKind.PecMailbox, ImportValidator.MailboxKey(m))).Select(m => (Func<Task<ImportedChild>>)(() => grains.GetGrain<IPecMailboxGrain>(ImportValidator.MailboxKey(m)).ImportAsync(key, m, op)))
            .Concat(ente.Devices.Where(d => !IsNew(ChildKind.FirmaDevice, d.Serial.Trim())).Select(d => (Func<Task<ImportedChild>>)(() => grains.GetGrain<IFirmaDeviceGrain>(d.Serial.Trim()).ImportAsync(key, d, op))))
            .Concat(ente.Services.Where(s => !IsNew(ChildKind.HostedService, ImportValidator.ServiceKey(key, s))).Select(s => (Func<Task<ImportedChild>>)(() => grains.GetGrain<IHostedServiceGrain>(ImportValidator.ServiceKey(key, s)).ImportAsync(key, s, op))))
            .ToList();
        var results = new ImportedChild?[imports.Count];
        Exception? failure = null;
        await Parallel.ForEachAsync(Enumerable.Range(0, imports.Count), new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, ObjectParallelism) },
            async (i, _) =>
            {
                try
                {
                    results[i] = await imports[i]().ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                }
            }).ConfigureAwait(false);
        var done = results.Where(r => r is not null).Select(r => r!).ToList();
        if (done.Count > 0)
        {
            await enteGrain.AttachImportedAsync([.. done.Select(r => new ChildKey(r.Snapshot.Kind, r.Snapshot.Key))]).ConfigureAwait(false);
        }

        if (newMailboxes.Count + newDevices.Count + newServices.Count > 0)
        {
            try
            {
                done.AddRange(await grains.GetGrain<IImportObjectsGrain>(IImportObjectsGrain.Key)
                    .ImportNewAsync(key, newMailboxes, newDevices, newServices, op).ConfigureAwait(false));
            }
            catch (Exception e)
            {
                failure ??= e;
            }
        }

        if (failure is not null)
        {
            throw failure;
        }

        if (ente.WithdrawnOn is { } withdrawn)
        {
            await enteGrain.WithdrawAsync(withdrawn, op).ConfigureAwait(false);
        }

        return (done.Count(r => r.Changed), updated);
    }

    private static async Task RunInDateOrderAsync(List<(LocalDate On, int Order, Func<Task> Run)> steps)
    {
        foreach (var step in steps.OrderBy(s => s.On).ThenBy(s => s.Order))
        {
            await step.Run().ConfigureAwait(false);
        }
    }

    /// <summary>The ente's own facts and the version of each of its objects in the document, to tell what an import changed.</summary>
    private async Task<(string Ente, Dictionary<string, long?> Children)> FingerprintAsync(ImportEnte ente, string key, bool withChildren = true)
    {
        var enteGrain = grains.GetGrain<IEnteGrain>(key);
        var own = string.Empty;
        if (await enteGrain.ExistsAsync().ConfigureAwait(false))
        {
            var view = await enteGrain.GetAsync().ConfigureAwait(false);
            own = string.Join("|", view.Registration, view.WithdrawnOn, string.Join(",", view.Payers),
                string.Join(",", view.Population.Select(p => $"{p.Year}:{p.Inhabitants}")));
        }

        var children = new Dictionary<string, long?>(StringComparer.Ordinal);
        if (!withChildren)
        {
            return (own, children);
        }

        foreach (var (kind, objectKey) in ente.Mailboxes.Select(m => (ChildKind.PecMailbox, ImportValidator.MailboxKey(m)))
            .Concat(ente.Devices.Select(d => (ChildKind.FirmaDevice, d.Serial.Trim())))
            .Concat(ente.Services.Select(s => (ChildKind.HostedService, ImportValidator.ServiceKey(key, s)))))
        {
            children[$"{kind}:{objectKey}"] = own.Length == 0 ? null : await enteGrain.GetChildVersionAsync(kind, objectKey).ConfigureAwait(false);
        }

        return (own, children);
    }

    private static async Task<T?> TryGetAsync<T>(Func<Task<T>> get)
        where T : class
    {
        try
        {
            return await get().ConfigureAwait(false);
        }
        catch (CstDomainError e) when (e.Kind == "NotFound")
        {
            return null;
        }
    }

    private static int ObjectCount(ImportEnte ente) => ente.Mailboxes.Count + ente.Devices.Count + ente.Services.Count;

    private static EnteImportResult Result(int index, ImportEnte ente, string? key, ImportOutcome outcome, int changes, ImmutableList<string> reasons) =>
        new(index, key, string.IsNullOrWhiteSpace(ente.Name) ? "(no name)" : ente.Name.Trim(), outcome, changes, reasons);

    private static string ListinoOf(ImportEnte ente) =>
        string.IsNullOrWhiteSpace(ente.Listino) ? ImportValidator.DefaultListino : ente.Listino.Trim();

    private static string? Capofila(ImportEnte ente) => Blank(ente.Capofila);

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);

    private static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>How far an import is: enti done of all, their objects, and the time since it started.</summary>
public sealed record ImportProgress(int EntiDone, int EntiTotal, long ObjectsDone, long ObjectsTotal, TimeSpan Elapsed)
{
    /// <summary>Objects of the enti done per second of the import so far.</summary>
    public double ObjectsPerSecond => Elapsed.TotalSeconds > 0 ? ObjectsDone / Elapsed.TotalSeconds : 0;
}
