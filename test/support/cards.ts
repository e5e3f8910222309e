/**
 * Parses a card with Microsoft's own Adaptive Cards library and returns every problem it reports
 * (unknown elements, bad properties, validation failures). Tests assert the list is empty.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js');

export function cardProblems(json: unknown): string[] {
  const problems: string[] = [];
  const card = new AC.AdaptiveCard();
  const ctx = new AC.SerializationContext();
  card.parse(json, ctx);
  for (let i = 0; i < ctx.eventCount; i++) problems.push(`parse: ${ctx.getEventAt(i).message}`);
  const v = card.validateProperties();
  for (const e of v.validationEvents ?? []) problems.push(`validate: ${e.message}`);
  const obj = json as { type?: string; version?: string };
  if (obj?.type !== 'AdaptiveCard') problems.push('not an AdaptiveCard');
  // unresolved template expressions leak as "${…}"
  const text = JSON.stringify(json);
  const leaked = text.match(/\$\{[^}]*\}/g);
  if (leaked) problems.push(`unexpanded template expressions: ${leaked.slice(0, 3).join(', ')}`);
  return problems;
}

export function expectValidCard(json: unknown): void {
  expect(cardProblems(json)).toEqual([]);
}
