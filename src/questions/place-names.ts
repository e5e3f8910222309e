import placesData from './places.json';
import { skel, tokenize } from './text';

/** Folded words of Danish place names (municipalities, regions, towns; `places.json`), without the word "region". */
export const PLACE_TOKENS: ReadonlySet<string> = new Set(
  [...placesData.municipalities, ...placesData.regions, ...placesData.towns].flatMap((p) => tokenize(p).map(skel)).filter((t) => t !== 'region'),
);

/** Folded words of the five regions: a region says where a forum is rather than where something is. */
export const REGION_TOKENS: ReadonlySet<string> = new Set(placesData.regions.flatMap((p) => tokenize(p).map(skel)).filter((t) => t !== 'region'));
