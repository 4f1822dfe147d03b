using System.Text.Json;
using System.Text.Json.Serialization;
using Cst.Actors.Domain;
using Cst.Actors.Domain.Pricing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;
using Orleans.Serialization;
using Orleans.Serialization.Cloning;
using Orleans.Serialization.TypeSystem;

namespace Cst.Actors.Contracts.Serialization;

/// <summary>
/// How the pure domain's records (<c>Cst.Actors.Domain.*</c>: <c>Subscription</c>, <c>EnteHistory</c>, <c>Statement</c>,
/// <c>Listino</c>, <c>Deadline</c>...) cross grain calls and sit in grain state. The domain project cannot carry Orleans
/// attributes, and mirroring each record in the contracts would double every change; so they are encoded with Orleans'
/// System.Text.Json codec (JSON inside the binary message or state field), with converters for NodaTime's
/// <see cref="LocalDate"/> (ISO text) and <see cref="Money"/> (a decimal number of euros). JSON is tolerant of added
/// and removed properties, so stored state survives domain changes that keep property names. <c>Subscription</c> and
/// <c>PopulationCount</c>, the bulk of an ente's state, have Orleans surrogates instead (SubscriptionSurrogates.cs). Domain exceptions are
/// excluded: they never cross a boundary (the grain call filter turns them into <c>CstDomainError</c>).
/// <para>
/// Copies: the domain records are immutable (records with init-only properties and immutable collections), so the
/// in-silo copy of an argument or result returns the same instance (<see cref="ShallowDomainCopier"/>) instead of a
/// JSON round trip.
/// </para>
/// Call <see cref="AddCstSerialization"/> on every silo and every client (the silo does it in
/// <c>AddCstGrains</c>; a client calls it on its <c>IClientBuilder.Services</c>).
/// </summary>
public static class DomainSerialization
{
    private static readonly string DomainNamespace = typeof(Money).Namespace!;

    /// <summary>The JSON options the codec uses for domain records.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = CreateOptions();

    /// <summary>Registers the domain codec and copier on a silo's or a client's services. Idempotent.</summary>
    public static IServiceCollection AddCstSerialization(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(Marker)))
        {
            return services;
        }

        services.AddSingleton<Marker>();
        services.AddSingleton<IGeneralizedCopier, ShallowDomainCopier>();
        services.AddSingleton<ITypeNameFilter, DomainTypeNameFilter>();
        services.AddSerializer(serializer => serializer.AddJsonSerializer(
            isSerializable: static type => IsDomainType(type) && !HasSurrogate(type),
            isCopyable: static _ => false,
            configureOptions: options => options.Configure(o => o.SerializerOptions = JsonOptions)));
        return services;
    }

    /// <summary>A type of the pure domain that is carried as JSON: a record, struct or enum of Cst.Actors.Domain, not an exception.</summary>
    public static bool IsDomainType(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var ns = type.Namespace;
        return ns is not null
            && (ns == DomainNamespace || ns.StartsWith(DomainNamespace + ".", StringComparison.Ordinal))
            && !typeof(Exception).IsAssignableFrom(type)
            && !type.IsAbstract
            && !type.IsInterface;
    }

    /// <summary>
    /// The domain types Orleans encodes in its own format (SubscriptionSurrogates.cs): they are written that way, and
    /// read back either way (a JSON field written before still names the JSON codec).
    /// </summary>
    public static bool HasSurrogate(Type type) => type == typeof(Subscription) || type == typeof(PopulationCount);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            Converters = { new LocalDateJsonConverter(), new MoneyJsonConverter(), new JsonStringEnumConverter() },
            // Computed properties (a schedule, a total) are derived again on the other side, never carried.
            IgnoreReadOnlyProperties = true,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private sealed class Marker;

    /// <summary>
    /// Allows the domain's type names by name. The JSON codec writes the type of every value it encodes and, reading
    /// it back, Orleans checks that the type may be loaded. Allowed by name, the answer is cached per type; otherwise the
    /// type is inspected again at every value (a tenth of a silo's CPU while a cold billing run activates the enti and
    /// reads the subscriptions of their objects). The same types are allowed either way.
    /// </summary>
    private sealed class DomainTypeNameFilter : ITypeNameFilter
    {
        private static readonly string DomainAssembly = typeof(Money).Assembly.GetName().Name!;

        public bool? IsTypeNameAllowed(string typeName, string assemblyName) =>
            assemblyName == DomainAssembly && typeName.StartsWith(DomainNamespace + ".", StringComparison.Ordinal) && !typeName.EndsWith(nameof(Exception), StringComparison.Ordinal)
                ? true
                : null;
    }

    /// <summary>Returns the domain's immutable records as they are.</summary>
    private sealed class ShallowDomainCopier : IGeneralizedCopier
    {
        public object? DeepCopy(object? input, CopyContext context) => input;

        public bool IsSupportedType(Type type) => IsDomainType(type);
    }

    /// <summary>An ISO date, yyyy-MM-dd.</summary>
    private sealed class LocalDateJsonConverter : JsonConverter<LocalDate>
    {
        public override LocalDate Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString() ?? throw new JsonException("A date is null.");
            var result = LocalDatePattern.Iso.Parse(text);
            return result.Success ? result.Value : throw new JsonException($"'{text}' is not an ISO date.");
        }

        public override void Write(Utf8JsonWriter writer, LocalDate value, JsonSerializerOptions options) =>
            writer.WriteStringValue(LocalDatePattern.Iso.Format(value));
    }

    /// <summary>Euros as a JSON number (decimal, exact).</summary>
    private sealed class MoneyJsonConverter : JsonConverter<Money>
    {
        public override Money Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Money.Euro(reader.GetDecimal());

        public override void Write(Utf8JsonWriter writer, Money value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(value.Euros);
    }
}
