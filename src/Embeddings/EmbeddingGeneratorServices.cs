namespace Embeddings;

/// <summary>The <c>GetService</c> lookup shared by the library's <c>IEmbeddingGenerator</c> implementations.</summary>
internal static class EmbeddingGeneratorServices
{
    /// <summary>Returns the first candidate that is an instance of <paramref name="serviceType"/>; keyed requests get nothing.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="serviceType"/> is <see langword="null"/>.</exception>
    public static object? Find(Type serviceType, object? serviceKey, params ReadOnlySpan<object> candidates)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        foreach (object candidate in candidates)
        {
            if (serviceType.IsInstanceOfType(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
