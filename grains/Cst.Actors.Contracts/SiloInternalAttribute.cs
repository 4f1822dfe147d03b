namespace Cst.Actors.Contracts;

/// <summary>
/// Marks a grain method that only the cluster's own grains may call: it writes state without an audit row, trusting
/// its caller (an ente's object handing over its billing snapshot, an ente updating the directory). The silo's call
/// filter refuses it when the call comes from a client, so a client that knows the interface still cannot use it.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Interface, Inherited = false)]
public sealed class SiloInternalAttribute : Attribute;
