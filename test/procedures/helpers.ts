import { loadConfig, type Config } from '../../src/config';
import type { Db } from '../../src/store/db';
import { upsertRoster } from '../../src/procedures/roster';
import { ensureKnownForums } from '../../src/store/forums';
import type { ProcedureCtx, TeamsActor } from '../../src/procedures/service';

/** Fictional roster people for tests (names invented for these tests). */
export const TENANT = 'tenant-0000';
export const person = (n: number) => ({ id: `29:voter-${n}`, name: `Direktør ${n}`, aadObjectId: `aad-voter-${n}` });
export const SECRETARY = { id: '29:user-sec', name: 'Sekretær Sofie', aadObjectId: 'aad-secretary' };
export const SUBSTITUTE = { id: '29:user-sub', name: 'Stedfortræder Sune', aadObjectId: 'aad-substitute' };
export const OUTSIDER = { id: '29:user-out', name: 'Udenforstående Ulla', aadObjectId: 'aad-outsider' };

export function testConfig(extra: Record<string, string> = {}): Config {
  return loadConfig({ ALLOWED_TENANT_IDS: TENANT, SECRETARIAT_AAD_IDS: SECRETARY.aadObjectId, LOG_LEVEL: 'silent', ...extra });
}

export const actor = (p: { aadObjectId: string; name: string; id: string }, tenantId = TENANT): TeamsActor => ({
  kind: 'teams',
  aadObjectId: p.aadObjectId,
  name: p.name,
  tenantId,
  teamsUserId: p.id,
});

export async function seedRoster(db: Db, n: number, forum = 'socialdirektoerforum'): Promise<void> {
  await ensureKnownForums(db);
  await upsertRoster(db, forum, [
    ...Array.from({ length: n }, (_, i) => ({ name: person(i + 1).name, organisation: `Kommune ${i + 1}`, aadObjectId: person(i + 1).aadObjectId, role: 'member' as const })),
    { name: SUBSTITUTE.name, organisation: 'Kommune 1', aadObjectId: SUBSTITUTE.aadObjectId, role: 'substitute' as const },
    { name: SECRETARY.name, organisation: 'Sekretariatet', aadObjectId: SECRETARY.aadObjectId, role: 'secretariat' as const },
  ]);
}

export function spec(over: Record<string, unknown> = {}) {
  return {
    forum: 'Socialdirektørforum',
    title: 'Skriftlig procedure om tre testpunkter',
    deadline: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    rule: 'majority',
    quorum: 0,
    items: [
      { title: 'Ny repræsentant til udvalget', recommendation: 'Det indstilles, at kandidaten godkendes.' },
      { title: 'Fast placering af sekretariatet', recommendation: 'Det indstilles, at placeringen godkendes.' },
      { title: 'Orientering om belægning', recommendation: 'Det indstilles, at orienteringen tages til efterretning.' },
    ],
    voters: 'roster',
    ...over,
  };
}

/** A context whose clock the test moves. */
export function clockCtx(db: Db, config: Config, start = Date.now()): ProcedureCtx & { advance(ms: number): void; set(d: Date): void } {
  let t = start;
  return {
    db,
    config,
    now: () => new Date(t),
    advance(ms: number) {
      t += ms;
    },
    set(d: Date) {
      t = d.getTime();
    },
  };
}
