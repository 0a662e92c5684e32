// Bounds every reader checks before it allocates: a header or archive that claims more is refused.

export const readerLimits = {
  /** Largest JSON/pickle/npy header read into memory (safetensors header, data.pkl, model.json). */
  maxHeaderBytes: 100 * 1024 * 1024,
  /** Largest single tensor read into memory (elements × item size, in bytes). */
  maxTensorBytes: 2 * 1024 * 1024 * 1024,
  /**
   * Largest tensor read from a view with more elements than its storage holds (zero strides, as expand()
   * makes): a file of a few bytes cannot make the reader allocate more than this.
   */
  maxRepeatingViewBytes: 64 * 1024 * 1024,
  /** Most weight files one TF.js model.json may list (each is kept open while it is read). */
  maxTfjsShards: 4096,
  /** DEFLATE cannot expand data more than about 1032:1; a zip member claiming more is corrupt. */
  maxDeflateRatio: 1032,
  /** How far from the end of a zip its end-of-central-directory record may lie (65535-byte comment + 22). */
  zipEndSearchBytes: 65_557,
} as const;

/** Most layers one checkpoint may hold: discovery refuses more, so a crafted header cannot make it run for ever. */
export const maxLayers = 100_000;
