// Budgets every reader checks before it allocates, written once: a file that needs more is refused,
// and the refusal names the budget (`readerLimits.<name>`), so a user knows which one a file ran into.

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
  /** Most tensors one checkpoint may list (layer discovery and the tables are sized by it). */
  maxTensors: 200_000,
  /** Most weight files one TF.js model.json may list (each is kept open while it is read). */
  maxTfjsShards: 4096,
  /** DEFLATE cannot expand data more than about 1032:1; a zip member claiming more is corrupt. */
  maxDeflateRatio: 1032,
  /** Bytes inflated from one zip file in all, at least this many … */
  minInflatedBytesPerFile: 256 * 1024 * 1024,
  /** … or this many times the file's size, whichever is more (a deflate bomb cannot fill memory). */
  maxInflatedBytesPerFileByte: 16,
  /** Inflated zip members kept so that a storage shared by many tensors is inflated once. */
  maxInflatedCacheBytes: 512 * 1024 * 1024,
  /** Small zip members read whole (`byteorder`, `version`): anything longer is not what they hold. */
  maxSmallMemberBytes: 64,
  /** How far from the end of a zip its end-of-central-directory record may lie (65535-byte comment + 22). */
  zipEndSearchBytes: 65_557,
  /** Side files read as text (metrics.jsonl, run.json): of a longer one only the last this many bytes. */
  maxSideFileBytes: 64 * 1024 * 1024,
  /** Pickle opcodes executed. */
  maxPickleOpcodes: 50_000_000,
  /** Values a pickle creates, counting every item a copying constructor (torch.Size, set, …) copies. */
  maxPickleObjects: 2_000_000,
  /** Memo entries a pickle stores. */
  maxPickleMemo: 2_000_000,
  /** Bytes of strings and bytes a pickle allocates, copies included. */
  maxPickleBytes: 256 * 1024 * 1024,
  /** Bytes of one pickled integer (LONG1/LONG4): a 30 MB integer takes minutes to print. */
  maxPickleIntegerBytes: 4096,
  /** Depth of nested calls (tensor subclasses rebuilt inside each other) and of containers searched for tensors. */
  maxPickleDepth: 200,
  /** Most layers one checkpoint may hold: discovery refuses more, so a crafted header cannot make it run for ever. */
  maxLayers: 100_000,
} as const;

export type ReaderLimit = keyof typeof readerLimits;

/** The words of a refusal, naming the budget: "more than the 4096-byte limit (readerLimits.maxPickleIntegerBytes)". */
export function overBudget(limit: ReaderLimit, unit: string): string {
  return `more than the ${readerLimits[limit]}-${unit} limit (readerLimits.${limit})`;
}
