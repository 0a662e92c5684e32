// Names that end up in file and folder names (run folders, exports, reports), made one way everywhere.

/** `name` as a file-name stem: each run of characters other than letters, digits, `.`, `_` and `-` becomes `-`. */
export function fileStem(name: string): string {
  return name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'run';
}

/** `20250131-142501` in local time: sortable, and valid in every file system. */
export function timestamp(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}-${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`;
}
