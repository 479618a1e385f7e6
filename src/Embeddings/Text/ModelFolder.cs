using Embeddings.Hub;

namespace Embeddings.Text;

/// <summary>A model folder whose configuration files name other files; every such name is kept inside the folder.</summary>
/// <remarks>
/// Model folders are data: a name with <c>..</c>, a rooted path, or a symbolic link leading outside is refused.
/// The one link allowed out is the Hugging Face cache layout's: a file of <c>snapshots/&lt;commit&gt;</c> pointing at
/// <c>blobs/&lt;etag&gt;</c> of the same repository.
/// </remarks>
internal sealed class ModelFolder
{
    private readonly string _realRoot;

    private ModelFolder(string root, string realRoot)
    {
        Root = root;
        _realRoot = realRoot;
    }

    /// <summary>Gets the folder's full path.</summary>
    public string Root { get; }

    /// <summary>Opens a folder.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist, or the path names a file.</exception>
    public static ModelFolder Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException(File.Exists(root)
                ? $"Model folder {root} is a file; give the folder that holds the model's files."
                : $"Model folder not found: {root}");
        }

        string realRoot = Path.TrimEndingDirectorySeparator(ResolveLinks(root));
        return new ModelFolder(root, realRoot);
    }

    /// <summary>Resolves a relative name (from a config file or options) to a full path inside the folder.</summary>
    /// <param name="relativePath">The name, with <c>/</c> or the platform separator.</param>
    /// <param name="source">What named it, for the error message (a file and JSON path, or an option).</param>
    /// <exception cref="InvalidDataException">The name is rooted, climbs out with <c>..</c>, or leads outside through a link.</exception>
    public string Resolve(string relativePath, string source)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        if (relativePath.Length == 0)
        {
            return Root;
        }

        if (Path.IsPathRooted(relativePath) || relativePath.Contains(':', StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{source}: the path '{relativePath}' must be relative to the model folder {Root}.");
        }

        foreach (string segment in relativePath.Split('/', '\\'))
        {
            if (segment == "..")
            {
                throw new InvalidDataException($"{source}: the path '{relativePath}' must not contain '..'.");
            }
        }

        string full = Path.GetFullPath(Path.Combine(Root, relativePath.Replace('\\', '/')));
        if (!IsInside(full, Root))
        {
            throw new InvalidDataException($"{source}: the path '{relativePath}' leaves the model folder {Root}.");
        }

        string real = ResolveLinks(full);
        if (!IsInside(real, _realRoot) && !HubRepositoryCache.IsSnapshotBlob(_realRoot, real))
        {
            throw new InvalidDataException($"{source}: the path '{relativePath}' is a link to '{real}', outside the model folder {Root}.");
        }

        return full;
    }

    /// <summary>Resolves a name and reports whether the file exists.</summary>
    public bool TryResolveFile(string relativePath, string source, out string fullPath)
    {
        fullPath = Resolve(relativePath, source);
        return File.Exists(fullPath);
    }

    /// <summary>Finds the ONNX file: <c>onnx/&lt;name&gt;</c>, then <c>&lt;name&gt;</c>, where the name defaults to <c>model.onnx</c>.</summary>
    /// <param name="fileName">The file name an option gives, or <see langword="null"/> for <c>model.onnx</c>.</param>
    /// <param name="option">The option that named it, for error messages.</param>
    /// <exception cref="FileNotFoundException">Neither candidate exists.</exception>
    /// <exception cref="InvalidDataException">The name leaves the folder.</exception>
    public string FindOnnxModel(string? fileName, string option)
    {
        string name = fileName ?? "model.onnx";
        string[] candidates = [$"onnx/{name}", name];
        foreach (string candidate in candidates)
        {
            if (TryResolveFile(candidate, fileName is null ? "model file" : option, out string full))
            {
                return full;
            }
        }

        string[] present = [.. OnnxFiles()];
        string hint = present.Length > 0
            ? $"; the folder has {string.Join(", ", present)}: choose one with {option} (CLI: --model-file)"
            : string.Empty;
        throw new FileNotFoundException($"{Root}: no ONNX model (looked for {string.Join(" and ", candidates)}){hint}.", Path.Combine(Root, candidates[0]));
    }

    /// <summary>Lists the <c>.onnx</c> files in <c>onnx/</c> and the root, relative to the root, for error messages.</summary>
    private IEnumerable<string> OnnxFiles()
    {
        foreach (string folder in new[] { Path.Combine(Root, "onnx"), Root })
        {
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (string file in Directory.EnumerateFiles(folder, "*.onnx").Order(StringComparer.Ordinal).Take(8))
            {
                yield return Path.GetRelativePath(Root, file).Replace('\\', '/');
            }
        }
    }

    private static bool IsInside(string path, string root) =>
        string.Equals(path, root, StringComparison.Ordinal)
        || path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>Follows symbolic links on every existing component of <paramref name="path"/>.</summary>
    private static string ResolveLinks(string path)
    {
        string full = Path.GetFullPath(path);
        string? parent = Path.GetDirectoryName(full);
        if (parent is null)
        {
            return full;
        }

        string resolvedParent = ResolveLinks(parent);
        string candidate = Path.Combine(resolvedParent, Path.GetFileName(full));
        FileSystemInfo info = Directory.Exists(candidate) ? new DirectoryInfo(candidate) : new FileInfo(candidate);
        if (info.Exists && info.LinkTarget is not null)
        {
            FileSystemInfo? target = info.ResolveLinkTarget(returnFinalTarget: true);
            if (target is not null)
            {
                return ResolveLinks(target.FullName);
            }
        }

        return candidate;
    }
}
