/** The entry names of a zip file, from its central directory. */
export function zipEntryNames(path: string): string[];
/** Problems with a .vsix's entry names, one line each; empty when it is right. */
export function vsixProblems(names: readonly string[]): string[];
/** Entries every .vsix must hold. */
export const REQUIRED: readonly string[];
