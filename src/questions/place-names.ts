import placesData from './places.json';
import { skel, tokenize } from './text';

/** Folded words of Danish place names (municipalities, regions, towns; `places.json`), without the word "region". */
export const PLACE_TOKENS: ReadonlySet<string> = new Set(
  [...placesData.municipalities, ...placesData.regions, ...placesData.towns].flatMap((p) => tokenize(p).map(skel)).filter((t) => t !== 'region'),
);
