/**
 * The connector icon: the brand colour as background with a white telephone handset, drawn from
 * signed-distance shapes (no image files in the repository). Deterministic: same brand, same bytes.
 * Certified connectors use a square icon with a non-white, non-transparent background matching
 * `iconBrandColor`.
 */
import { PNG } from 'pngjs';
import type { BrandProfile } from '../model/types';

export const ICON_SIZE = 230;

type Rgb = readonly [number, number, number];

export function parseHexColour(hex: string): Rgb {
  const match = /^#([0-9a-f]{6})$/i.exec(hex.trim());
  if (!match) throw new Error(`Brand colour "${hex}" is not a #rrggbb colour; fix brandColor in the brand profile.`);
  const value = parseInt(match[1], 16);
  return [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
}

/** Signed distance to a rounded rectangle centred at the origin (negative inside). */
function roundedBox(x: number, y: number, halfW: number, halfH: number, radius: number): number {
  const qx = Math.abs(x) - halfW + radius;
  const qy = Math.abs(y) - halfH + radius;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}

/**
 * The handset in unit coordinates (-1..1), tilted 45°: a grip bar with an earpiece and a mouthpiece
 * bent towards the same side.
 */
const COS = Math.cos(Math.PI / 4);
const SIN = Math.sin(Math.PI / 4);

function handsetDistance(u: number, v: number): number {
  const x = u * COS - v * SIN;
  const y = u * SIN + v * COS;
  const grip = roundedBox(x, y + 0.16, 0.62, 0.13, 0.13);
  const earpiece = roundedBox(x - 0.5, y - 0.06, 0.2, 0.3, 0.16);
  const mouthpiece = roundedBox(x + 0.5, y - 0.06, 0.2, 0.3, 0.16);
  return Math.min(grip, earpiece, mouthpiece);
}

export function buildIcon(brand: Pick<BrandProfile, 'brandColor'>, size: number = ICON_SIZE): Buffer {
  const background = parseHexColour(brand.brandColor);
  const png = new PNG({ width: size, height: size, colorType: 2, inputColorType: 2, inputHasAlpha: false });
  // pngjs keeps RGBA internally; the write below converts to RGB (colour type 2, no transparency).
  png.data = Buffer.alloc(size * size * 4);
  // Edges are smoothed from the signed distance: coverage falls from 1 to 0 across one pixel.
  const pixel = 2 / size;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const distance = handsetDistance(((px + 0.5) / size) * 2 - 1, ((py + 0.5) / size) * 2 - 1);
      const alpha = Math.min(1, Math.max(0, 0.5 - distance / pixel));
      const offset = (py * size + px) * 4;
      for (let c = 0; c < 3; c++) png.data[offset + c] = Math.round(background[c] * (1 - alpha) + 255 * alpha);
      png.data[offset + 3] = 255;
    }
  }
  return PNG.sync.write(png, { colorType: 2, inputHasAlpha: true, deflateLevel: 9, filterType: 4 });
}
