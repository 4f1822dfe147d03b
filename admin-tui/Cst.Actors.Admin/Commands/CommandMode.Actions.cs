using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Admin.ViewModels;
using Cst.Actors.Connection;
using Cst.Actors.Contracts.Children;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Contracts.Firma;
using Cst.Actors.Contracts.Import;
using Cst.Actors.Contracts.Pec;
using Cst.Actors.Contracts.Services;
using Cst.Actors.Domain.Deadlines;
using Cst.Actors.Domain.Enti;
using Cst.Actors.Domain.Validation;
using NodaTime.Text;

namespace Cst.Actors.Admin.Commands;

/// <summary>
/// The console's actions as verbs, for scripts and cron: <c>cst ente add|edit|population|payer|withdraw</c>,
/// <c>cst pec add|tier|space|conservazione|disdetta</c>, <c>cst firma issue|renew|revoke</c>,
/// <c>cst servizio add|quantity|consumption|disdetta|cease</c>.
/// <para>
/// Each verb runs the dialog's own form (<see cref="ActionForm"/> of <see cref="EnteDetailViewModel"/> and
/// <see cref="EntiViewModel"/>): its options fill the form's fields, an option not given keeps what the dialog shows at
/// first (today, the standard tier, quantity 1), and the form checks the values and makes the call, so the rules and
/// messages are the dialog's. The command line is the operator's decision: no confirmation is asked. A malformed value
/// exits 2; a value the rules refuse (the grain's refusal, or a reported fact dated after today) exits 1. Objects are
/// named as the console lists them: a mailbox by its address, a device by its serial, a service by its key
/// <c>ENTE/SERVICE/LABEL</c>. The form's own checks run once the ente has been read, after the line's.
/// </para>
/// </summary>
public sealed partial class CommandMode
{
    /// <summary>The actions' lines of <c>cst --help</c>.</summary>
    private const string ActionUsage =
        """
          ente add --name N --istat CODE|--codice-fiscale CF [--kind K] [--adhered DATE]
                   [--listino ID] [--inhabitants N [--population-year Y]] [--capofila KEY]
                                                register an ente, with its population and payer
          ente edit KEY [--name N] [--codice-fiscale CF] [--adhered DATE] [--referente N]
                   [--referente-pec A] [--referente-email A]
                                                change its identity: only the fields given
          ente population KEY --inhabitants N [--year Y]
                                                the population at 1 January of year Y
          ente payer KEY --capofila KEY|--itself [--from-year Y]
                                                who pays from billing year Y on (earlier years keep theirs)
          ente withdraw KEY --on DATE           the withdrawal: its mailboxes, devices, services end that day
          pec add --ente KEY --address A [--tier T] [--from DATE] [--requested DATE]
                                                request and activate a PEC mailbox
          pec tier --address A --tier T [--from DATE]          another tier from a day
          pec space --address A --gb N [--from DATE]           GB of extra space from a day (0 ends it)
          pec conservazione --address A --gb N [--from DATE]   GB of conservazione from a day (0 ends it)
          pec disdetta --address A --evidence TEXT [--received DATE]
                                                a disdetta received: the mailbox ends on 1 January
          firma issue --ente KEY --serial S --holder NAME [--kind BusinessKey|FirmaRemota] [--issued DATE]
                                                issue a device (certificates valid 3 years)
          firma renew --serial S [--on DATE]    renew its certificates: 3 years from the renewal
          firma revoke --serial S --reason Lost|Stolen|HolderLeft|Other [--on DATE]
                                                revoke it; the reason is required (none assumed)
          servizio add --ente KEY --service ID [--label L] [--variant V] [--quantity Q] [--price EUR]
                   [--from DATE]                activate a service; its key is KEY/ID/L (label default 1)
          servizio quantity --key K --quantity Q [--from DATE]  another quantity from a day
          servizio consumption --key K --entry ID --quantity Q [--component C] [--on DATE]
                                                usage of a consumption component (SMS, days...)
          servizio disdetta --key K --evidence TEXT [--received DATE]
                                                a disdetta received: the service ends on 1 January
          servizio cease --key K --on DATE      it ends that day (otherwise than by a disdetta)
                                                The actions run the console's dialogs, with their checks
                                                and messages, without asking to confirm. DATE is yyyy-MM-dd,
                                                today when not given (as in the dialogs); K is a service's
                                                key ENTE/SERVICE/LABEL as ente show lists it.
        """;

    private const string DateFormat = "yyyy-MM-dd";

    private void AddActions(Command root)
    {
        AddEnteActions(root.Subcommands.Single(c => c.Name == "ente"));
        AddPec(root);
        AddFirma(root);
        AddServizio(root);
    }

    // ---- the options ----

    /// <summary>An ISO date (the dialogs also take dd/mm/yyyy; a script's dates are unambiguous).</summary>
    private static Option<string?> DateOption(string name, string description, bool required = false) => new(name)
    {
        Description = description,
        HelpName = DateFormat,
        Required = required,
        CustomParser = r => r.Tokens.Count != 1 ? null
            : LocalDatePattern.Iso.Parse(r.Tokens[0].Value).Success ? r.Tokens[0].Value
            : RefuseValue(r, $"{name} must be a date as {DateFormat} (e.g. 2026-03-01), not '{r.Tokens[0].Value}'."),
    };

    private static string? RefuseValue(System.CommandLine.Parsing.ArgumentResult result, string message)
    {
        result.AddError(message);
        return null;
    }

    private static Option<string?> Required(Option<string?> option)
    {
        option.Required = true;
        return option;
    }

    private static Option<string?> Text(string name, string description, string helpName) => StrictCommandLine.Text(name, description, helpName);

    private static Argument<string> EnteArgument() => new("KEY") { Description = "the ente's code (ISTAT code, or codice fiscale), as ente list shows it" };

    private static Option<string?> EnteOption() =>
        Required(Text("--ente", "the ente's code (ISTAT code, or codice fiscale), as ente list shows it", "KEY"));

    private static Option<string?> AddressOption() =>
        Required(Text("--address", "the mailbox's PEC address, as ente show lists it (e.g. protocollo@pec.comune.padova.it)", "ADDRESS"));

    private static Option<string?> SerialOption() =>
        Required(Text("--serial", "the device's serial number, as ente show lists it", "SERIAL"));

    private static Option<string?> ServiceKeyOption() =>
        Required(Text("--key", "the service's key ENTE/SERVICE/LABEL, as ente show lists it (e.g. 028060/s.13/1)", "KEY"));

    private static Option<string?> Evidence() =>
        Required(Text("--evidence", "the evidence of its receipt: protocol number or PEC message id", "TEXT"));

    /// <summary>A service key as the console lists it, checked for its form before anything connects.</summary>
    private static string ServiceKey(string key)
    {
        try
        {
            HostedServiceKey.Parse(key);
            return key;
        }
        catch (ArgumentException)
        {
            throw new InputException($"--key must be a service key ENTE/SERVICE/LABEL as ente show lists it (e.g. 028060/s.13/1), not '{key}'.");
        }
    }

    /// <summary>A mailbox is keyed by its lower-case address: a lookup by the address typed otherwise finds it too.</summary>
    private static string MailboxKey(string address) => PecAddress.TryParse(address, out var parsed) ? parsed.Value : address;

    private static string? Invariant(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    // ---- ente ----

    private void AddEnteActions(Command ente)
    {
        ente.Description = "the enti: list, show, add, edit, population, payer, withdraw";
        const string capofilaText = "the capofila (lead ente) that pays for it, by its code";

        var name = Required(Text("--name", "the ente's name, e.g. \"Comune di Abano Terme\"", "NAME"));
        var kind = StrictCommandLine.Choice("--kind", "the kind of body (default Comune)", StringComparer.OrdinalIgnoreCase, Enum.GetNames<EnteKind>());
        var istat = Text("--istat", "the ISTAT code (6 digits, e.g. 028001): the key of a Comune", "CODE");
        var cf = Text("--codice-fiscale", "the codice fiscale (11 digits): the key of a body that is not a Comune", "CF");
        var adhered = DateOption("--adhered", "the day it adhered to the CST (default today)");
        var listino = Text("--listino", $"the listino it is billed on (default {ImportValidator.DefaultListino})", "ID");
        var inhabitants = Text("--inhabitants", "its resident population at 1 January of --population-year (optional)", "N");
        var populationYear = StrictCommandLine.Integer("--population-year", 2000, 2100, "the year of --inhabitants (default this year)", "YEAR");
        var capofila = Text("--capofila", capofilaText + " from its adhesion (default: itself)", "KEY");
        Verb(ente, "add", "register an ente (a Comune by its ISTAT code, another body by its codice fiscale), with its population and payer if given",
            [name, kind, istat, cf, adhered, listino, inhabitants, populationYear, capofila], p =>
            {
                string?[] given = [p.GetValue(name), p.GetValue(kind), p.GetValue(istat), p.GetValue(cf), p.GetValue(adhered), p.GetValue(listino),
                    Invariant(p.GetValue(populationYear)), p.GetValue(inhabitants), p.GetValue(capofila)];
                var json = Json(p);
                return s => AddEnteAsync(s, given, json);
            });

        var editKey = EnteArgument();
        var editName = Text("--name", "the new name", "NAME");
        var editCf = Text("--codice-fiscale", "the codice fiscale of a Comune (another body's is its key and cannot change)", "CF");
        var editAdhered = DateOption("--adhered", "the day it adhered to the CST");
        var referente = Text("--referente", "the referente's name (\"\" clears it)", "NAME");
        var referentePec = Text("--referente-pec", "the referente's PEC address (\"\" clears it)", "ADDRESS");
        var referenteEmail = Text("--referente-email", "the referente's e-mail address (\"\" clears it)", "ADDRESS");
        Verb(ente, "edit", "change an ente's identity: only the fields given change, each audited before and after; its key, kind and listino stay",
            [editKey, editName, editCf, editAdhered, referente, referentePec, referenteEmail], p =>
            {
                string?[] given = [p.GetValue(editName), p.GetValue(editCf), p.GetValue(editAdhered), p.GetValue(referente), p.GetValue(referentePec), p.GetValue(referenteEmail)];
                if (given.All(v => v is null))
                {
                    throw new InputException("ente edit needs at least one of --name, --codice-fiscale, --adhered, --referente, --referente-pec, --referente-email.");
                }

                var json = Json(p);
                return s => EnteActionAsync(s, p.GetValue(editKey)!, vm => vm.EditForm(), given, json);
            });

        var populationKey = EnteArgument();
        var populationCount = Required(Text("--inhabitants", "the resident population (a whole number)", "N"));
        var year = Year("the year: the population at 1 January of it (default this year)", required: false);
        Verb(ente, "population", "record (or correct) the resident population at 1 January of a year: the membership quota of that year follows from it",
            [populationKey, populationCount, year], p =>
            {
                string?[] given = [Invariant(p.GetValue(year)), p.GetValue(populationCount)];
                var json = Json(p);
                return s => EnteActionAsync(s, p.GetValue(populationKey)!, vm => vm.PopulationForm(), given, json);
            });

        var payerKey = EnteArgument();
        var payer = Text("--capofila", capofilaText, "KEY");
        var itself = new Option<bool>("--itself") { Description = "the ente pays for itself" };
        var fromYear = StrictCommandLine.Integer("--from-year", 2000, 2100, "the first billing year of this payer (default this year); earlier years keep theirs", "YEAR");
        Verb(ente, "payer", "who pays the ente's statements from a billing year on: a capofila, or itself",
            [payerKey, payer, itself, fromYear], p =>
            {
                var capofilaId = p.GetValue(payer);
                if ((capofilaId is null) == !p.GetValue(itself))
                {
                    throw new InputException("ente payer needs either --capofila KEY or --itself.");
                }

                string?[] given = [capofilaId ?? string.Empty, Invariant(p.GetValue(fromYear))];
                var json = Json(p);
                return s => EnteActionAsync(s, p.GetValue(payerKey)!, vm => vm.PayerForm(), given, json);
            });

        var withdrawKey = EnteArgument();
        var on = DateOption("--on", "the withdrawal day: the first day it is no longer a member", required: true);
        Verb(ente, "withdraw", "the ente leaves the CST (recesso): from that day all its mailboxes, devices and services end",
            [withdrawKey, on], p =>
            {
                string?[] given = [p.GetValue(on)];
                var json = Json(p);
                return s => EnteActionAsync(s, p.GetValue(withdrawKey)!, vm => vm.WithdrawForm(), given, json);
            });
    }

    // ---- pec ----

    private void AddPec(Command root)
    {
        var pec = Group(root, "pec", "the PEC mailboxes: add, tier, space, conservazione, disdetta");

        var ente = EnteOption();
        var address = AddressOption();
        var tier = Text("--tier", "the tier: standard (default), silver, gold, massiva (the tiers of the ente's listino)", "TIER");
        var from = DateOption("--from", "the day it is active from (default today)");
        var requested = DateOption("--requested", "the day it was requested (default the --from day)");
        Verb(pec, "add", "request and activate a PEC mailbox for an ente, as one change", [ente, address, tier, from, requested], p =>
        {
            var activated = p.GetValue(from);
            string?[] given = [p.GetValue(address), p.GetValue(tier), p.GetValue(requested) ?? activated, activated];
            var key = MailboxKey(p.GetValue(address)!);
            var json = Json(p);
            return s => EnteActionAsync(s, p.GetValue(ente)!, vm => vm.MailboxForm(), given, json, (ChildKind.PecMailbox, key));
        });

        var tierAddress = AddressOption();
        var newTier = Required(Text("--tier", "the new tier: standard, silver, gold, massiva (the tiers of the ente's listino)", "TIER"));
        var tierFrom = DateOption("--from", "the day the new tier takes effect (default today; a later day plans it)");
        Verb(pec, "tier", "move a mailbox to another tier from a day", [tierAddress, newTier, tierFrom], p =>
        {
            string?[] given = [p.GetValue(tierFrom), p.GetValue(newTier)];
            return ObjectVerb(p, ChildKind.PecMailbox, MailboxKey(p.GetValue(tierAddress)!), (vm, row) => vm.ChangeForm(row), given);
        });

        void Gigabytes(string verb, string what, Func<EnteDetailViewModel, ObjectRow, ActionForm?> form)
        {
            var gbAddress = AddressOption();
            var gb = Required(Text("--gb", $"the GB of {what} (e.g. 5 or 2.5); 0 ends it", "GB"));
            var gbFrom = DateOption("--from", "the day it takes effect (default today; a later day plans it)");
            Verb(pec, verb, $"set a mailbox's {what} in GB from a day (billed per GB; 0 ends it)", [gbAddress, gb, gbFrom], p =>
            {
                string?[] given = [p.GetValue(gbFrom), p.GetValue(gb)];
                return ObjectVerb(p, ChildKind.PecMailbox, MailboxKey(p.GetValue(gbAddress)!), form, given);
            });
        }

        Gigabytes("space", "extra space", (vm, row) => vm.SpaceForm(row));
        Gigabytes("conservazione", "conservazione", (vm, row) => vm.ConservazioneForm(row));

        var disdettaAddress = AddressOption();
        var received = DateOption("--received", "the day the disdetta was received (default today; not after today)");
        var evidence = Evidence();
        Verb(pec, "disdetta", "record a mailbox's disdetta: it stays active to 31 December of the year received and ends on 1 January",
            [disdettaAddress, received, evidence], p =>
            {
                string?[] given = [p.GetValue(received), p.GetValue(evidence)];
                return ObjectVerb(p, ChildKind.PecMailbox, MailboxKey(p.GetValue(disdettaAddress)!), (vm, row) => vm.DisdettaForm(row), given);
            });
    }

    // ---- firma ----

    private void AddFirma(Command root)
    {
        var firma = Group(root, "firma", "the firma devices: issue, renew, revoke");

        var ente = EnteOption();
        var serial = SerialOption();
        var kind = StrictCommandLine.Choice("--kind", "BusinessKey (a USB token, default) or FirmaRemota (remote signature)", StringComparer.OrdinalIgnoreCase, Enum.GetNames<FirmaDeviceKind>());
        var holder = Required(Text("--holder", "the holder's name, e.g. \"Mario Rossi\"", "NAME"));
        var issued = DateOption("--issued", "the day it was issued (default today): its certificates are valid 3 years from it");
        Verb(firma, "issue", "issue a firma device to a holder of an ente", [ente, serial, kind, holder, issued], p =>
        {
            string?[] given = [p.GetValue(serial), p.GetValue(kind), p.GetValue(holder), p.GetValue(issued)];
            var key = p.GetValue(serial)!;
            var json = Json(p);
            return s => EnteActionAsync(s, p.GetValue(ente)!, vm => vm.DeviceForm(), given, json, (ChildKind.FirmaDevice, key));
        });

        var renewSerial = SerialOption();
        var renewOn = DateOption("--on", "the day of the renewal (default today; not after today, and before the expiry)");
        Verb(firma, "renew", "renew a device's certificates: valid 3 years from the renewal", [renewSerial, renewOn], p =>
        {
            string?[] given = [p.GetValue(renewOn)];
            return ObjectVerb(p, ChildKind.FirmaDevice, p.GetValue(renewSerial)!, (vm, row) => vm.RenewForm(row), given);
        });

        var revokeSerial = SerialOption();
        var revokeOn = DateOption("--on", "the day of the revocation (default today; not after today)");
        // Required: a revocation recorded with a reason nobody gave is worse than one refused (exit 2 names the reasons).
        var reason = Required(StrictCommandLine.Choice("--reason", "why: Lost, Stolen, HolderLeft or Other (required)", StringComparer.OrdinalIgnoreCase, Enum.GetNames<RevocationReason>()));
        Verb(firma, "revoke", "revoke a device (lost, stolen, holder left): no further renewals or warnings", [revokeSerial, revokeOn, reason], p =>
        {
            string?[] given = [p.GetValue(revokeOn), p.GetValue(reason)];
            return ObjectVerb(p, ChildKind.FirmaDevice, p.GetValue(revokeSerial)!, (vm, row) => vm.RevokeForm(row), given);
        });
    }

    // ---- servizio ----

    private void AddServizio(Command root)
    {
        var servizio = Group(root, "servizio", "the hosted services (any catalogue service but PEC and firma): add, quantity, consumption, disdetta, cease");

        var ente = EnteOption();
        var service = Required(Text("--service", "the catalogue service, e.g. s.13 (cst listino show lists them)", "ID"));
        var label = Text("--label", "tells apart several subscriptions of the ente to the service (default 1); the key is ENTE/SERVICE/LABEL", "LABEL");
        var variant = Text("--variant", "the service's variant, when it has variants", "VARIANT");
        var from = DateOption("--from", "the day it is active from (default today)");
        var quantity = Text("--quantity", "the quantity in the service's unit: clients, users, GB... (default 1)", "Q");
        var price = Text("--price", "the agreed annual price in EUR of an on-quotation service (e.g. 1200.50)", "EUR");
        Verb(servizio, "add", "activate a catalogue service for an ente", [ente, service, label, variant, from, quantity, price], p =>
        {
            string?[] given = [p.GetValue(service), p.GetValue(label), p.GetValue(variant), p.GetValue(from), p.GetValue(quantity), p.GetValue(price)];
            var enteId = p.GetValue(ente)!;
            var json = Json(p);
            return s => EnteActionAsync(s, enteId, vm => vm.ServiceForm(), given, json,
                (ChildKind.HostedService, HostedServiceKey.For(enteId.Trim(), (given[0] ?? string.Empty).Trim(), (given[1] ?? "1").Trim())));
        });

        var quantityKey = ServiceKeyOption();
        var newQuantity = Required(Text("--quantity", "the new quantity in the service's unit (clients, users, GB...)", "Q"));
        var quantityFrom = DateOption("--from", "the day it takes effect (default today; a later day plans it)");
        Verb(servizio, "quantity", "change a service's quantity from a day", [quantityKey, newQuantity, quantityFrom], p =>
        {
            string?[] given = [p.GetValue(quantityFrom), p.GetValue(newQuantity)];
            return ObjectVerb(p, ChildKind.HostedService, ServiceKey(p.GetValue(quantityKey)!), (vm, row) => vm.ChangeForm(row), given);
        });

        var consumptionKey = ServiceKeyOption();
        var entry = Required(Text("--entry", "the record's id, e.g. the work order number (the same id again replaces the record)", "ID"));
        var used = Required(Text("--quantity", "how much was used, in the component's unit (SMS, days, places...)", "Q"));
        var component = Text("--component", "the consumption component priced by the listino for the service (needed when it has several)", "ID");
        var recorded = DateOption("--on", "the day it was used (default today; not after today)");
        Verb(servizio, "consumption", "record usage of a service's consumption component (billed in the year recorded)",
            [consumptionKey, entry, used, component, recorded], p =>
            {
                string?[] given = [p.GetValue(entry), p.GetValue(recorded), p.GetValue(used), p.GetValue(component)];
                return ObjectVerb(p, ChildKind.HostedService, ServiceKey(p.GetValue(consumptionKey)!), (vm, row) => vm.ConsumptionForm(row), given);
            });

        var disdettaKey = ServiceKeyOption();
        var received = DateOption("--received", "the day the disdetta was received (default today; not after today)");
        var evidence = Evidence();
        Verb(servizio, "disdetta", "record a service's disdetta: it stays active to 31 December of the year received and ends on 1 January",
            [disdettaKey, received, evidence], p =>
            {
                string?[] given = [p.GetValue(received), p.GetValue(evidence)];
                return ObjectVerb(p, ChildKind.HostedService, ServiceKey(p.GetValue(disdettaKey)!), (vm, row) => vm.DisdettaForm(row), given);
            });

        var ceaseKey = ServiceKeyOption();
        var ceaseOn = DateOption("--on", "the first day it is no longer active", required: true);
        Verb(servizio, "cease", "end a service on a day agreed otherwise than by a disdetta (a project that closes)", [ceaseKey, ceaseOn], p =>
        {
            string?[] given = [p.GetValue(ceaseOn)];
            return ObjectVerb(p, ChildKind.HostedService, ServiceKey(p.GetValue(ceaseKey)!), (vm, row) => vm.CeaseForm(row), given);
        });
    }

    // ---- running a form ----

    private Func<AdminSession, Task<int>> ObjectVerb(ParseResult p, ChildKind kind, string key, Func<EnteDetailViewModel, ObjectRow, ActionForm?> form, string?[] given)
    {
        var json = Json(p);
        return s => ObjectActionAsync(s, kind, key, form, given, json);
    }

    private async Task<int> AddEnteAsync(AdminSession session, string?[] given, bool json)
    {
        var form = new EntiViewModel(session).AddEnteForm(await session.TodayAsync());
        var (message, values) = await ExecuteAsync(form, given);

        // The key the form registered, from the same values: read back to show the ente as recorded.
        var key = EnteKey.Validate(Input.Choice<EnteKind>(values[1], "Kind"), Input.Optional(values[2]), Input.Optional(values[3]));
        var vm = new EnteDetailViewModel(session, key.Value);
        await vm.LoadAsync();
        return Done(vm, message, null, json);
    }

    /// <summary>An action on the ente <paramref name="enteId"/>, or adding its object <paramref name="added"/>.</summary>
    private async Task<int> EnteActionAsync(AdminSession session, string enteId, Func<EnteDetailViewModel, ActionForm?> form, string?[] given, bool json,
        (ChildKind Kind, string Key)? added = null)
    {
        var vm = new EnteDetailViewModel(session, enteId.Trim());
        await vm.LoadAsync();
        var (message, _) = await ExecuteAsync(form(vm)!, given);
        await vm.LoadAsync();
        return Done(vm, message, added is { } o ? vm.Objects.FirstOrDefault(r => r.Kind == o.Kind && r.Key == o.Key) : null, json);
    }

    /// <summary>An action on a mailbox, device or service: found through its own grain, which knows its ente.</summary>
    private async Task<int> ObjectActionAsync(AdminSession session, ChildKind kind, string key, Func<EnteDetailViewModel, ObjectRow, ActionForm?> form, string?[] given, bool json)
    {
        key = key.Trim();
        var enteId = kind switch
        {
            ChildKind.PecMailbox => (await session.CallAsync($"reading mailbox {key}", () => session.Grains.GetGrain<IPecMailboxGrain>(key).GetAsync())).EnteId,
            ChildKind.FirmaDevice => (await session.CallAsync($"reading device {key}", () => session.Grains.GetGrain<IFirmaDeviceGrain>(key).GetAsync())).EnteId,
            _ => (await session.CallAsync($"reading service {key}", () => session.Grains.GetGrain<IHostedServiceGrain>(key).GetAsync())).EnteId,
        };
        var vm = new EnteDetailViewModel(session, enteId);
        await vm.LoadAsync();
        var row = vm.Objects.FirstOrDefault(o => o.Kind == kind && o.Key == key)
            ?? throw new CstDomainError($"{key} is not listed among the objects of ente {enteId}.");

        // The console offers consumption only for a service whose listino prices a component to record.
        var action = form(vm, row) ?? throw new CstDomainError($"{row.KindText} {key} has no consumption component to record in its listino.");
        var (message, _) = await ExecuteAsync(action, given);
        await vm.LoadAsync();
        return Done(vm, message, vm.Objects.FirstOrDefault(o => o.Kind == kind && o.Key == key), json);
    }

    /// <summary>
    /// The form filled (a value not given: what the dialog shows at first), checked and run as the dialog does after
    /// the operator confirms. Returns the dialog's closing message and the values used.
    /// </summary>
    private static async Task<(string Message, IReadOnlyList<string> Values)> ExecuteAsync(ActionForm form, string?[] given)
    {
        var values = new List<string>();
        for (var i = 0; i < form.Fields.Count; i++)
        {
            var field = form.Fields[i];
            if (field.Choices is { Count: > 0 } choices && !field.Open)
            {
                // A pick-list in the dialog: the value must be one of its entries, and is asked for when there is a choice.
                if (given[i] is null && choices.Count > 1)
                {
                    throw new InputException($"{field.Label} is needed: one of {StrictCommandLine.Alternatives([.. choices.Select(c => c.Value)])}.");
                }

                if (given[i] is { } value && !choices.Any(c => c.Value == value.Trim()))
                {
                    throw new InputException($"{field.Label} must be one of {StrictCommandLine.Alternatives([.. choices.Select(c => c.Value)])}, not '{value}'.");
                }
            }

            values.Add(given[i] ?? field.Initial);
        }

        try
        {
            var action = form.Prepare(values);
            return (await action.ExecuteAsync(), values);
        }
        catch (InputException e) when (e.RefusedByRule)
        {
            throw new CstDomainError("DomainError", string.Empty, e.Message, e.Code, e.Args);
        }
        catch (InputException e) when (e.NothingToChange)
        {
            return (e.Message, values);
        }
    }

    /// <summary>The dialog's closing message; under --json with the ente and the object as read back after the action.</summary>
    private int Done(EnteDetailViewModel vm, string message, ObjectRow? row, bool json)
    {
        if (!json)
        {
            output.WriteLine(Guard.Printable(message));
            return ExitOk;
        }

        var e = vm.Ente!;
        WriteJson(new JsonObject
        {
            ["message"] = message,
            ["ente"] = vm.EnteId,
            ["name"] = e.Registration.Name,
            ["kind"] = e.Registration.Kind.ToString(),
            ["adheredOn"] = Input.Date(e.Registration.AdheredOn),
            ["withdrawnOn"] = e.WithdrawnOn is { } w ? Input.Date(w) : null,
            ["payer"] = e.CapofilaIn(vm.Today.Year) ?? vm.EnteId,
            ["population"] = new JsonArray([.. e.Population.OrderBy(c => c.Year).Select(c => (JsonNode)new JsonObject { ["year"] = c.Year, ["inhabitants"] = c.Inhabitants })]),
            ["object"] = row is null ? null : new JsonObject { ["kind"] = row.KindText, ["key"] = row.Key, ["status"] = row.Status, ["detail"] = row.Detail, ["next"] = row.Next },
        });
        return ExitOk;
    }
}
