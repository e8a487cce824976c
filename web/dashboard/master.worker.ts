// Makes an upload's master off the main thread: decoded upright (EXIF orientation applied), at
// most 2048 px on its long edge, JPEG. The photo can be proofed as soon as this is processed,
// long before a 40 MB original has finished uploading.
const MAX_EDGE = 2048;

self.onmessage = async (e: MessageEvent<{ id: string; file: File }>) => {
  const { id, file } = e.data;
  try {
    const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    const scale = Math.min(1, MAX_EDGE / Math.max(bitmap.width, bitmap.height));
    const w = Math.max(1, Math.round(bitmap.width * scale));
    const h = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = new OffscreenCanvas(w, h);
    const ctx = canvas.getContext("2d")!;
    ctx.imageSmoothingQuality = "high";
    ctx.drawImage(bitmap, 0, 0, w, h);
    bitmap.close();
    const blob = await canvas.convertToBlob({ type: "image/jpeg", quality: 0.88 });
    postMessage({ id, blob });
  } catch (err) {
    postMessage({ id, error: `${file.name} could not be read as an image (${String(err)})` });
  }
};
