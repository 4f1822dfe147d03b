using Cst.Actors.Domain.Catalogue;

namespace Cst.Actors.Grains.Infrastructure;

/// <summary>The listini the silo prices with: the shipped ones, loaded once.</summary>
public interface ICatalogueSource
{
    PriceCatalogue Catalogue { get; }
}

/// <summary>The listini shipped inside the domain assembly.</summary>
public sealed class ShippedCatalogueSource : ICatalogueSource
{
    private readonly Lazy<PriceCatalogue> _catalogue = new(ListinoLoader.LoadShipped);

    public PriceCatalogue Catalogue => _catalogue.Value;
}
