// A print's crop and whether its photo has the pixels for it, as the cart and the lab lines carry them.
/** Where a print is cut from its photo, in fractions of the photo's width and height (0 to 1). */
export interface Crop {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * A print line as the cart shows it: the shape its crop must have (the size's two numbers, e.g.
 * [8, 10], either way round), the photo's pixels, and, when the lab needs more pixels for that
 * size than the crop has, why and the size the photo prints well at.
 */
export interface PrintFit {
  shape: [number, number];
  photo: { width: number; height: number };
  lowResolution: string | null;
}
