import fs from 'fs';
import path from 'path';
import JSZip from 'jszip';
import type { Config } from '../config';
import { UserError } from '../errors';

/**
 * The Teams app package: manifest/manifest.json is a template with {{PLACEHOLDERS}}, filled from the
 * configuration; build/forumbot.zip holds manifest.json, color.png and outline.png at the zip's root.
 */
export const MANIFEST_DIR = path.join(__dirname, '..', '..', 'manifest');
export const ICONS = ['color.png', 'outline.png'] as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ManifestValues {
  VERSION: string;
  TEAMS_APP_ID: string;
  BOT_ID: string;
  BASE_URL: string;
  DOMAIN: string;
  SSO_RESOURCE: string;
}

/** The package version (manifest "version" is semver: major.minor.patch). */
export function packageVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(MANIFEST_DIR, '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version.replace(/[-+].*$/, '');
}

/** The application id URI tab SSO tokens are issued for: TAB_SSO_AUDIENCE, else api://<domain>/<app id>. */
export function ssoResource(config: Config): string | undefined {
  if (config.TAB_SSO_AUDIENCE) return config.TAB_SSO_AUDIENCE;
  if (!config.MicrosoftAppId) return undefined;
  return `api://${new URL(config.PUBLIC_BASE_URL).hostname}/${config.MicrosoftAppId}`;
}

/** Checks the configuration a package needs and returns the values for the template. Throws UserError with what is missing. */
export function manifestValues(config: Config): ManifestValues {
  const problems: string[] = [];
  const botId = config.MicrosoftAppId ?? '';
  if (!botId) problems.push('MicrosoftAppId is not set (the bot\'s Entra app id)');
  else if (!GUID.test(botId)) problems.push(`MicrosoftAppId "${botId}" is not a GUID`);
  const appId = config.TEAMS_APP_ID ?? botId;
  if (config.TEAMS_APP_ID && !GUID.test(config.TEAMS_APP_ID)) problems.push(`TEAMS_APP_ID "${config.TEAMS_APP_ID}" is not a GUID`);
  let base: URL | undefined;
  try {
    base = new URL(config.PUBLIC_BASE_URL);
  } catch {
    problems.push(`PUBLIC_BASE_URL "${config.PUBLIC_BASE_URL}" is not a URL`);
  }
  if (base && base.protocol !== 'https:') problems.push(`PUBLIC_BASE_URL must be an https URL that Teams can reach (it is ${config.PUBLIC_BASE_URL})`);
  if (problems.length) throw new UserError(`cannot build the Teams app package: ${problems.join('; ')}`, 'package_config');
  const baseUrl = base!.toString().replace(/\/+$/, '');
  return {
    VERSION: packageVersion(),
    TEAMS_APP_ID: appId.toLowerCase(),
    BOT_ID: botId.toLowerCase(),
    BASE_URL: baseUrl,
    // validDomains and the application id URI take the host name without a port
    DOMAIN: base!.hostname,
    SSO_RESOURCE: ssoResource(config)!,
  };
}

/** Fills the template. Every {{NAME}} must have a value: a leftover placeholder is an error. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  const out = template.replace(/\{\{([A-Z_]+)\}\}/g, (whole, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`manifest template: no value for ${whole}`);
    // values go into JSON strings
    return JSON.stringify(v).slice(1, -1);
  });
  return out;
}

export function readTemplate(): string {
  return fs.readFileSync(path.join(MANIFEST_DIR, 'manifest.json'), 'utf8');
}

/** The filled manifest as an object. */
export function buildManifest(config: Config): Record<string, unknown> {
  return JSON.parse(fillTemplate(readTemplate(), { ...manifestValues(config) })) as Record<string, unknown>;
}

/** Writes the zip (manifest.json and the icons at its root). Returns the path and the manifest. */
export async function writePackage(config: Config, outFile: string): Promise<{ file: string; manifest: Record<string, unknown>; entries: string[] }> {
  const manifest = buildManifest(config);
  const zip = new JSZip();
  // a fixed date keeps the zip byte-identical for the same input
  const date = new Date('2020-01-01T00:00:00Z');
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`, { date });
  for (const icon of ICONS) zip.file(icon, fs.readFileSync(path.join(MANIFEST_DIR, icon)), { date });
  const buf = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 }, platform: 'UNIX' });
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, buf);
  return { file: outFile, manifest, entries: ['manifest.json', ...ICONS] };
}
