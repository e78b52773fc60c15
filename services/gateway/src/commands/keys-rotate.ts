import { AuditLog } from '@sangam/audit';
import { clock, openGateway, openKeys, say } from './context.js';

/** `sangam keys rotate`: a new current signing key; the old one stays in the JWKS until the next rotation. */
export async function keysRotate(options: { json: boolean }): Promise<void> {
  const { config, handle } = await openGateway();
  try {
    const keys = await openKeys(handle, config);
    const result = await keys.rotate();
    await new AuditLog(handle.db, { clock }).append({
      action: 'keys.rotate',
      decision: 'allow',
      reason: `new signing key ${result.kid}${result.retired.length ? `; retired ${result.retired.join(', ')}` : ''}`,
    });
    if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      say(
        `New signing key ${result.kid} is current; the previous key stays in the JWKS until the next rotation.`,
      );
      if (result.retired.length > 0) say(`Retired (no longer verifies): ${result.retired.join(', ')}`);
    }
  } finally {
    await handle.destroy();
  }
}
