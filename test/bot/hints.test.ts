import { describe, expect, it } from 'vitest';
import { shippedCatalog } from '../../seeds/catalogs.js';
import { examplesFor } from '../../src/bot/hints.js';
import { parseReport } from '../../src/parser/parseReport.js';

describe('hint examples', () => {
  const catalog = shippedCatalog(2024);
  it.each(catalog.organisations.map((o) => o.name))('%s: both examples parse back to one of its own metrics', (org) => {
    const own = new Set(catalog.metricsOf(org).map((m) => m.id));
    for (const e of examplesFor(catalog, org, '2024-10-28')) {
      const r = parseReport(e, { catalog, senderOrg: org, date: '2024-10-28' });
      expect(r.needsClarification, e).toBe(false);
      expect(
        r.items.map((i) => own.has(i.metric)),
        e,
      ).toEqual([true]);
    }
  });
});
