import { describe, expect, test } from 'vitest';
import { can } from '../../../shared/permissions.js';
import { allowedSection, sectionsFor } from '../../../web/access.js';

describe("the dashboard's navigation follows the server's permission table", () => {
  test('care works callbacks and reads the metrics; no segments, no settings', () => {
    expect(sectionsFor('care')).toEqual(['overview', 'themes', 'callbacks']);
  });

  test('marketing reads the metrics and segments; no callbacks (case notes), no settings', () => {
    expect(sectionsFor('marketing')).toEqual(['overview', 'themes', 'segments']);
  });

  test('the admin has every section', () => {
    expect(sectionsFor('admin')).toEqual(['overview', 'themes', 'callbacks', 'segments', 'settings']);
  });

  test('an address a role may not read leads nowhere, as the API would refuse it', () => {
    expect(can('marketing', 'callbacks:read')).toBe(false);
    expect(allowedSection('marketing', 'callbacks')).toBeNull();
    expect(allowedSection('care', 'settings')).toBeNull();
    expect(allowedSection('care', 'callbacks')).toBe('callbacks');
    expect(allowedSection('admin', 'no-such-page')).toBeNull();
  });
});
