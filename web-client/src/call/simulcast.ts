// Simulcast: our camera goes out in three sizes (RIDs q, h, f: a quarter, half and the full
// picture) and the SFU sends each viewer one of them, the one they ask for if their bandwidth
// allows (see sfu/src/simulcast.rs). Pure functions: the call session applies them.

/** A size a viewer asks for. */
export type LayerQuality = 'low' | 'medium' | 'high';
/** What a viewer chose for one tile: a size, or `auto` (from the tile's size on screen). */
export type QualityChoice = 'auto' | LayerQuality;
export const QUALITY_CHOICES: readonly QualityChoice[] = ['auto', 'low', 'medium', 'high'];

/** Below this camera height the smallest layer would be too small to be worth sending. */
export const SIMULCAST_MIN_HEIGHT = 360;

/** The encodings to publish a camera of `height` pixels with, smallest first; null for a
 *  single encoding (a small camera, or a Legal Mode call, whose recording keeps the full
 *  picture). */
export function simulcastEncodings(height: number | undefined, legalMode: boolean): RTCRtpEncodingParameters[] | null {
  if (legalMode || height === undefined || height < SIMULCAST_MIN_HEIGHT) return null;
  return [
    { rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
    { rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 500_000 },
    { rid: 'f', scaleResolutionDownBy: 1, maxBitrate: 1_500_000 },
  ];
}

/** The size that fills a tile `pixels` wide (device pixels): the layers of a 720p camera are
 *  320, 640 and 1280 wide. */
export function qualityForWidth(pixels: number): LayerQuality {
  if (pixels <= 360) return 'low';
  if (pixels <= 720) return 'medium';
  return 'high';
}

/** What to ask the server for: the choice, or for `auto` the tile's size (high until the
 *  tile has been measured). */
export function wantedQuality(choice: QualityChoice, tilePixels: number | null): LayerQuality {
  if (choice !== 'auto') return choice;
  return tilePixels === null ? 'high' : qualityForWidth(tilePixels);
}
