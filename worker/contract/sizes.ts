// How a number of bytes reads on every screen (dashboard, gallery, the pages the worker renders),
// so a zip's part and the studio's storage meter speak of sizes the same way.

/** "1.4 GB", or whole megabytes below a gigabyte; `atLeastOne` for a file, which is never "0 MB". */
export function byteSize(bytes: number, atLeastOne = true): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  const mb = Math.round(bytes / 1024 ** 2);
  return `${atLeastOne ? Math.max(1, mb) : mb} MB`;
}
