/**
 * Draws the app's two icons for the Teams app package (DESIGN section 6):
 *  - color.png   192×192: the symbol in white on the accent colour, full bleed;
 *  - outline.png  32×32: the same symbol as a white outline on a transparent background.
 *
 * The symbol is a speech bubble (the chat) holding a check mark (a decision).
 * Shapes are described as point tests and rendered with 8×8 supersampling, so edges are anti-aliased.
 *
 * Run: `node -r @swc-node/register manifest/draw-icons.ts` (the PNGs are committed; run again after a change).
 */
import fs from 'fs';
import path from 'path';
import { PNG } from 'pngjs';

export const ACCENT = '#1B5E7A';

type Shape = (x: number, y: number) => boolean;
type Rgb = [number, number, number];

/** Rounded rectangle (x0,y0)-(x1,y1) with corner radius r. */
function roundRect(x0: number, y0: number, x1: number, y1: number, r: number): Shape {
  return (x, y) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    const cx = Math.min(Math.max(x, x0 + r), x1 - r);
    const cy = Math.min(Math.max(y, y0 + r), y1 - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };
}

/** Triangle by its corners. */
function triangle(a: [number, number], b: [number, number], c: [number, number]): Shape {
  const sign = (p: [number, number], q: [number, number], x: number, y: number) => (x - q[0]) * (p[1] - q[1]) - (p[0] - q[0]) * (y - q[1]);
  return (x, y) => {
    const d1 = sign(a, b, x, y);
    const d2 = sign(b, c, x, y);
    const d3 = sign(c, a, x, y);
    const neg = d1 < 0 || d2 < 0 || d3 < 0;
    const pos = d1 > 0 || d2 > 0 || d3 > 0;
    return !(neg && pos);
  };
}

/** A thick polyline with round joins and caps. */
function polyline(points: Array<[number, number]>, width: number): Shape {
  const h = width / 2;
  return (x, y) => {
    for (let i = 0; i + 1 < points.length; i++) {
      const [ax, ay] = points[i];
      const [bx, by] = points[i + 1];
      const dx = bx - ax;
      const dy = by - ay;
      const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
      const px = ax + t * dx - x;
      const py = ay + t * dy - y;
      if (px * px + py * py <= h * h) return true;
    }
    return false;
  };
}

/** The points of `s` farther than d from its edge (tested on a ring of 24 points). */
function erode(s: Shape, d: number): Shape {
  const ring = Array.from({ length: 24 }, (_, k) => [Math.cos((k * Math.PI) / 12) * d, Math.sin((k * Math.PI) / 12) * d]);
  return (x, y) => s(x, y) && ring.every(([dx, dy]) => s(x + dx, y + dy));
}

const union = (...s: Shape[]): Shape => (x, y) => s.some((f) => f(x, y));
const minus = (a: Shape, b: Shape): Shape => (x, y) => a(x, y) && !b(x, y);

/**
 * The symbol in a unit box (0..1): a bubble with a tail at the lower left and a check mark inside.
 * `stroke` > 0 draws the bubble as an outline of that width (in units), else filled.
 */
function symbol(stroke: number, checkWidth: number): { bubble: Shape; check: Shape } {
  const outer = union(roundRect(0.08, 0.12, 0.92, 0.74, 0.14), triangle([0.2, 0.66], [0.44, 0.66], [0.16, 0.92]));
  const bubble = stroke > 0 ? minus(outer, erode(outer, stroke)) : outer;
  const check = polyline([[0.3, 0.44], [0.44, 0.58], [0.7, 0.3]], checkWidth);
  return { bubble, check };
}

/** Fraction of an 8×8 grid of sample points in the pixel (px,py) that `shape` covers, in a size×size image. */
function coverage(shape: Shape, px: number, py: number, size: number): number {
  const n = 8;
  let hit = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (shape((px + (i + 0.5) / n) / size, (py + (j + 0.5) / n) / size)) hit++;
    }
  }
  return hit / (n * n);
}

function hex(c: string): Rgb {
  const v = parseInt(c.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/** 192×192: white symbol (filled bubble with the check cut out in the accent colour) on the accent colour. */
export function drawColorIcon(size = 192): PNG {
  const png = new PNG({ width: size, height: size });
  const bg = hex(ACCENT);
  // inset the symbol so it sits in the middle two thirds, as Teams' icon guidelines ask
  const inset = (s: Shape): Shape => (x, y) => s((x - 0.16) / 0.68, (y - 0.18) / 0.68);
  const { bubble, check } = symbol(0, 0.1);
  const white = inset(minus(bubble, check));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const c = coverage(white, x, y, size);
      const i = (y * size + x) * 4;
      png.data[i] = Math.round(bg[0] + (255 - bg[0]) * c);
      png.data[i + 1] = Math.round(bg[1] + (255 - bg[1]) * c);
      png.data[i + 2] = Math.round(bg[2] + (255 - bg[2]) * c);
      png.data[i + 3] = 255;
    }
  }
  return png;
}

/** 32×32: the symbol as a white outline on transparent (alpha only; every pixel's colour is white). */
export function drawOutlineIcon(size = 32): PNG {
  const png = new PNG({ width: size, height: size });
  const { bubble, check } = symbol(2.2 / size, 2.4 / size);
  const shape = union(bubble, check);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const c = coverage(shape, x, y, size);
      const i = (y * size + x) * 4;
      png.data[i] = 255;
      png.data[i + 1] = 255;
      png.data[i + 2] = 255;
      png.data[i + 3] = Math.round(255 * c);
    }
  }
  return png;
}

export function writeIcons(dir = __dirname): void {
  fs.writeFileSync(path.join(dir, 'color.png'), PNG.sync.write(drawColorIcon()));
  fs.writeFileSync(path.join(dir, 'outline.png'), PNG.sync.write(drawOutlineIcon()));
}

if (require.main === module) {
  writeIcons();
  process.stderr.write(`wrote ${path.join(__dirname, 'color.png')} and outline.png\n`);
}
