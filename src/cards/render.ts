import fs from 'fs';
import path from 'path';
import { Template } from 'adaptivecards-templating';
import type { z } from 'zod';

/**
 * Cards are JSON templates in cards/<name>.json, filled from data with adaptivecards-templating.
 * Callers pass the zod schema of the template's data, so a card is never filled from unchecked data.
 * Handlers never build card JSON inline.
 */
export const CARDS_DIR = path.join(__dirname, '..', '..', 'cards');

const cache = new Map<string, object>();

export function loadTemplate(name: string): object {
  let t = cache.get(name);
  if (!t) {
    t = JSON.parse(fs.readFileSync(path.join(CARDS_DIR, `${name}.json`), 'utf8')) as object;
    cache.set(name, t);
  }
  return t;
}

export type AdaptiveCardJson = { type: 'AdaptiveCard'; version: string; [k: string]: unknown };

export function renderCard<S extends z.ZodType>(name: string, schema: S, data: z.input<S>): AdaptiveCardJson {
  const checked = schema.parse(data);
  const card = new Template(loadTemplate(name)).expand({ $root: checked }) as AdaptiveCardJson;
  return card;
}

/** The attachment a Teams activity carries for a card. */
export function cardAttachment(card: AdaptiveCardJson) {
  return { contentType: 'application/vnd.microsoft.card.adaptive', content: card };
}
