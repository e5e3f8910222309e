import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import type { Config } from '../config';
import { UserError } from '../errors';
import type { Logger } from '../log';

/**
 * CloudAdapter with Bot Framework authentication from the configuration (DESIGN section 6).
 * With no MicrosoftAppId botbuilder accepts unsigned requests and sends without a token (local mode);
 * the server then listens on loopback only.
 */
export function createAdapter(config: Config, log: Logger): CloudAdapter {
  checkAuthConfig(config);
  const options: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: config.MicrosoftAppId ?? '',
    MicrosoftAppPassword: config.MicrosoftAppPassword ?? '',
    MicrosoftAppType: config.MicrosoftAppId ? config.MicrosoftAppType : '',
    MicrosoftAppTenantId: config.MicrosoftAppTenantId ?? '',
  };
  const auth = new ConfigurationBotFrameworkAuthentication(options);
  const adapter = new CloudAdapter(auth);
  // Backstop: TeamsBot.run catches its own errors, so this only sees failures in the adapter itself.
  adapter.onTurnError = async (ctx, err) => {
    log.error({ err, activityId: ctx.activity?.id, type: ctx.activity?.type }, 'unhandled turn error');
  };
  return adapter;
}

/** Clear start-up errors for the combinations botbuilder would refuse (or fail on at the first send). */
export function checkAuthConfig(config: Config): void {
  if (!config.MicrosoftAppId) return;
  const type = config.MicrosoftAppType;
  if ((type === 'SingleTenant' || type === 'UserAssignedMsi') && !config.MicrosoftAppTenantId) {
    throw new UserError(`configuration: MicrosoftAppTenantId is required when MicrosoftAppType is ${type}${type === 'SingleTenant' ? ' (the default)' : ''}`, 'config');
  }
  if (type !== 'UserAssignedMsi' && !config.MicrosoftAppPassword) {
    throw new UserError(`configuration: MicrosoftAppPassword is required with MicrosoftAppId (MicrosoftAppType ${type})`, 'config');
  }
}
