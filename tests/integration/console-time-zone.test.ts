// The console shows and enters dates on the configured TZ_NAME, not a zone written into its scripts: every page
// carries the zone for common.js.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginSession, startTestGateway, type TestGateway } from '../helpers/gateway.js';

describe('console time zone', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ TZ_NAME: 'America/New_York' });
  });
  afterAll(async () => {
    await gw?.stop();
  });

  it('writes TZ_NAME into every console page', async () => {
    const cookie = await loginSession(gw);
    for (const path of ['/admin/tickets', '/admin/problems', '/admin/reports']) {
      const res = await fetch(`${gw.url}${path}`, { headers: { cookie: `jiesu_admin=${cookie}` } });
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toContain('<meta name="time-zone" content="America/New_York">');
    }
  });
});
