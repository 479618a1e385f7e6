namespace Embeddings.Imaging;

/// <summary>The image processor families whose <c>preprocess</c> steps <see cref="ImagePreprocessor"/> reproduces.</summary>
internal enum ImageProcessorKind
{
    /// <summary><c>ViTImageProcessor</c>: resize to a fixed size, rescale, normalize.</summary>
    ViT,

    /// <summary><c>CLIPImageProcessor</c>: resize the shortest edge, center crop, rescale, normalize.</summary>
    Clip,

    /// <summary><c>BitImageProcessor</c> (DINOv2): the same steps as CLIP with its own defaults.</summary>
    Bit,

    /// <summary><c>DeiTImageProcessor</c>: resize to a fixed size, center crop, rescale, normalize.</summary>
    DeiT,

    /// <summary><c>ConvNextImageProcessor</c>: resize the shortest edge to <c>shortest_edge / crop_pct</c> and crop below 384, else warp.</summary>
    ConvNext,

    /// <summary><c>BeitImageProcessor</c> (BEiT, Data2VecVision): DeiT's steps with 0.5 mean and standard deviation.</summary>
    Beit,

    /// <summary><c>SiglipImageProcessor</c>: resize to a fixed size, rescale, normalize; no crop.</summary>
    Siglip,
}
