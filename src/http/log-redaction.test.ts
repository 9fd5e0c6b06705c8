import { describe, expect, it } from 'vitest';
import { redactUrl } from './log-redaction.js';

describe('redactUrl', () => {
  it('hides the query code in tracking paths, with or without /api', () => {
    expect(redactUrl('/api/track/AB12-CD34-EF56-GH78')).toBe('/api/track/***');
    expect(redactUrl('/api/track/AB12-CD34-EF56-GH78/documents/x/sign')).toBe('/api/track/***/documents/x/sign');
    expect(redactUrl('/track/AB12CD34EF56GH78')).toBe('/track/***');
  });
  it('keeps query keys and hides every value', () => {
    expect(redactUrl('/api/office/cases?q=%E7%8E%8B%E5%B0%8F%E6%98%8E&state=registered')).toBe('/api/office/cases?q=***&state=***');
    expect(redactUrl('/api/x?13800001111')).toBe('/api/x?***');
    expect(redactUrl('/api/x?%E7%8E%8B=1')).toBe('/api/x?***');
  });
});
