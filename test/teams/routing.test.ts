import pino from 'pino';
import { TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { loadConfig } from '../../src/config';
import { TeamsBot, cleanMessage, isBotMentioned, MAX_MESSAGE_CHARS, FILE_DOWNLOAD_INFO } from '../../src/teams/app';
import { detectLang } from '../../src/teams/text';
import { HELP } from '../../src/teams/chat';

/** Routing in TeamsBot without a server: botbuilder's TestAdapter runs bot.run for each activity. */

const silent = pino({ level: 'silent' });
const BOT_ACCOUNT = { id: '28:bot', name: 'forumbot' };

function makeBot(secretariat = '') {
  return new TeamsBot({ config: loadConfig({ SECRETARIAT_AAD_IDS: secretariat }), log: silent });
}

function msg(text: string, extra: Partial<Activity> = {}): Partial<Activity> {
  return {
    type: 'message',
    text,
    from: { id: '29:u', name: 'U', aadObjectId: 'aad-u' } as Activity['from'],
    recipient: BOT_ACCOUNT as Activity['recipient'],
    conversation: { id: 'a:personal', conversationType: 'personal' } as Activity['conversation'],
    ...extra,
  };
}

async function run(bot: TeamsBot, activity: Partial<Activity>): Promise<Array<Partial<Activity>>> {
  const adapter = new TestAdapter((ctx) => bot.run(ctx));
  await adapter.processActivity(activity);
  const out: Array<Partial<Activity>> = [];
  while (adapter.activeQueue.length) out.push(adapter.activeQueue.shift()!);
  return out;
}

describe('cleanMessage', () => {
  test('strips the bot mention, <at> tags, HTML and entities, and collapses whitespace', () => {
    const a = msg('<at>forumbot</at>&nbsp; hvornår   er\n<b>næste</b> møde?', {
      entities: [{ type: 'mention', text: '<at>forumbot</at>', mentioned: BOT_ACCOUNT }],
      conversation: { id: '19:c', conversationType: 'channel' } as Activity['conversation'],
    });
    expect(isBotMentioned(a)).toBe(true);
    expect(cleanMessage(a).text).toBe('hvornår er næste møde?');
  });

  test('truncates at a word boundary below MAX_MESSAGE_CHARS and says so', () => {
    const m = cleanMessage(msg('ord '.repeat(2000)));
    expect(m.truncated).toBe(true);
    expect(m.originalLength).toBe('ord '.repeat(2000).trim().length);
    expect(m.text.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(m.text.endsWith('ord')).toBe(true);
  });

  test('a missing or non-string text is empty', () => {
    expect(cleanMessage({ type: 'message' }).text).toBe('');
    expect(cleanMessage({ type: 'message', text: 5 as unknown as string }).text).toBe('');
  });

  test('a mention of someone else is not the bot', () => {
    const a = msg('<at>Anna</at> hej', { entities: [{ type: 'mention', text: '<at>Anna</at>', mentioned: { id: '29:anna' } }] });
    expect(isBotMentioned(a)).toBe(false);
  });
});

describe('detectLang', () => {
  test.each([
    ['hvornår er næste møde?', undefined, 'da'],
    ['naeste mode', undefined, 'da'],
    ['what was on the agenda on 15 Aug 2016?', 'da-DK', 'en'],
    ['when is the next meeting', undefined, 'en'],
    ['Stjernen 2016', 'en-US', 'en'],
    ['Stjernen 2016', 'da-DK', 'da'],
    ['Stjernen 2016', undefined, 'da'],
    // a clearly Danish question is answered in Danish even in an English Teams client
    ['hvad blev besluttet om takster', 'en-GB', 'da'],
    ['hvad blev besluttet om takster', 'da', 'da'],
  ])('%s (locale %s) → %s', (text, locale, lang) => {
    expect(detectLang(text, locale)).toBe(lang);
  });
});

describe('HELP', () => {
  test.each(['hjælp', 'Hjælp!', 'hjaelp', 'hjalp', 'help', 'HELP?', '/help', '?'])('%s is help', (t) => expect(HELP.test(t)).toBe(true));
  test.each(['hjælp til afstemning om takster', 'kan du hjælpe', 'helpdesk'])('%s is not help', (t) => expect(HELP.test(t)).toBe(false));
});

describe('TeamsBot routing', () => {
  test('commands are tried in registration order; the first match wins; the rest go to onQuestion', async () => {
    const bot = makeBot();
    const seen: string[] = [];
    bot.command('a', /^næste/i, async () => void seen.push('a'));
    bot.command('b', /^næste møde$/i, async () => void seen.push('b'));
    bot.onQuestion(async (_ctx, m) => void seen.push(`q:${m.text}`));
    await run(bot, msg('næste møde'));
    await run(bot, msg('hvad blev besluttet'));
    expect(seen).toEqual(['a', 'q:hvad blev besluttet']);
  });

  test('secretariatOnly: refused politely for others (case-insensitive id match for the secretariat)', async () => {
    const bot = makeBot('AAD-SEC');
    const seen: string[] = [];
    bot.command('udsend', /^udsend/i, async () => void seen.push('ran'), { secretariatOnly: true });
    const refused = await run(bot, msg('udsend dagsorden'));
    expect(refused[0].text).toMatch(/kun bruges af forummets sekretariat/);
    expect(seen).toEqual([]);
    const english = await run(bot, msg('udsend the agenda', { locale: 'en-US' }));
    expect(english[0].text).toMatch(/secretariat only/);
    await run(bot, msg('udsend dagsorden', { from: { id: '29:s', name: 'S', aadObjectId: 'aad-sec' } as Activity['from'] }));
    expect(seen).toEqual(['ran']);
  });

  test('onActivity hooks all run, before routing, even when one throws', async () => {
    const bot = makeBot();
    const seen: string[] = [];
    bot.onActivity(async () => {
      throw new Error('hook 1 fails');
    });
    bot.onActivity(async (ctx: TurnContext) => void seen.push(`hook:${ctx.activity.type}`));
    bot.onQuestion(async () => void seen.push('question'));
    await run(bot, msg('hej'));
    await run(bot, { ...msg(''), type: 'conversationUpdate', membersAdded: [{ id: '29:someone', name: 'x' }] });
    expect(seen).toEqual(['hook:message', 'question', 'hook:conversationUpdate']);
  });

  test('files in a personal chat go to onFile handlers in order; unhandled files get a polite reply', async () => {
    const bot = makeBot();
    const seen: string[] = [];
    const file = { contentType: FILE_DOWNLOAD_INFO, name: 'referat.docx', content: { downloadUrl: 'http://x/f', fileType: 'docx' } };
    bot.onFile(async () => {
      seen.push('first');
      return false;
    });
    bot.onFile(async (ctx) => {
      seen.push('second');
      return (ctx.activity.attachments?.[0]?.name ?? '').endsWith('.docx');
    });
    bot.onQuestion(async () => void seen.push('question'));
    expect(await run(bot, msg('', { attachments: [file] }))).toEqual([]);
    expect(seen).toEqual(['first', 'second']);
    seen.length = 0;
    const out = await run(bot, msg('', { attachments: [{ ...file, name: 'billede.png' }] }));
    expect(seen).toEqual(['first', 'second']);
    expect(out[0].text).toMatch(/kun modtage dagsordener og referater/);
  });

  test('in a channel only messages that @mention the bot are routed', async () => {
    const bot = makeBot();
    const seen: string[] = [];
    bot.onQuestion(async (_c, m) => void seen.push(m.text));
    const channel = { id: '19:c;messageid=1', conversationType: 'channel' } as Activity['conversation'];
    await run(bot, msg('snak mellem kolleger', { conversation: channel }));
    await run(bot, msg('<at>forumbot</at> næste møde?', { conversation: channel, entities: [{ type: 'mention', text: '<at>forumbot</at>', mentioned: BOT_ACCOUNT }] }));
    expect(seen).toEqual(['næste møde?']);
  });

  test('install handlers run once per conversation for installationUpdate + conversationUpdate', async () => {
    const bot = makeBot();
    let installs = 0;
    bot.onInstall(async () => void installs++);
    await run(bot, { ...msg(''), type: 'installationUpdate', action: 'add' });
    await run(bot, { ...msg(''), type: 'conversationUpdate', membersAdded: [BOT_ACCOUNT as Activity['recipient']] });
    await run(bot, { ...msg(''), type: 'installationUpdate', action: 'remove' });
    await run(bot, { ...msg(''), type: 'installationUpdate', action: 'add', conversation: { id: 'a:other' } as Activity['conversation'] });
    expect(installs).toBe(2);
  });

  test('a failing handler gets the apology, not the error', async () => {
    const bot = makeBot();
    bot.onQuestion(async () => {
      throw new Error('secret internals');
    });
    const out = await run(bot, msg('hej'));
    expect(out.map((a) => a.text)).toEqual(['Beklager, noget gik galt hos mig. Prøv igen om lidt.']);
  });

  test('duplicate registrations throw', () => {
    const bot = makeBot();
    bot.command('x', /x/, async () => undefined);
    expect(() => bot.command('x', /y/, async () => undefined)).toThrow(/twice/);
    bot.invoke('task/fetch', async () => ({ status: 200 }));
    expect(() => bot.invoke('task/fetch', async () => ({ status: 200 }))).toThrow(/twice/);
    expect(() => bot.invoke('adaptiveCard/action', async () => ({ status: 200 }))).toThrow(/actionExecute/);
  });
});
