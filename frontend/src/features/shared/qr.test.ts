import { describe, expect, it } from 'vitest';
import { qrShape } from './qr.ts';

describe('qrShape', () => {
  it('draws a square code with a quiet zone and the three finder patterns', () => {
    const shape = qrShape('http://127.0.0.1:8000/join?code=K7Q2MX');
    expect(shape.size).toBeGreaterThanOrEqual(21 + 8);
    // The top-left finder pattern starts right after the quiet zone.
    expect(shape.path.startsWith('M4 4h1v1h-1z')).toBe(true);
    expect(shape.path).not.toMatch(/[^MhvzZ0-9 -]/);
  });

  it('changes with the text', () => {
    expect(qrShape('a').path).not.toBe(qrShape('b').path);
  });
});
