import { describe, expect, it } from 'vitest';
import { parseRoute, paths } from './routes.ts';

const ID = '3f1c2a9e-8d4b-4c7a-9f00-0a1b2c3d4e5f';

describe('parseRoute', () => {
  it.each([
    ['/join/abc.DEF-123_x', '', { name: 'join-invite', token: 'abc.DEF-123_x' }],
    ['/join', '?code=k7q2mx', { name: 'join-code', code: 'K7Q2MX' }],
    ['/join', '', { name: 'join-code', code: '' }],
    ['/', '', { name: 'join-code', code: '' }],
    ['/organiser', '', { name: 'organiser' }],
    ['/organiser/', '', { name: 'organiser' }],
    [`/meeting/${ID}`, '', { name: 'meeting', meetingId: ID }],
    [`/organiser/${ID}`, '', { name: 'console', meetingId: ID }],
    [`/organiser/${ID}/links`, '', { name: 'roster-links', meetingId: ID }],
    [`/projector/${ID}`, '', { name: 'projector', meetingId: ID }],
    ['/reports/AbC.dEf-12_z', '', { name: 'report', token: 'AbC.dEf-12_z' }],
    ['/present/0123abcd.Sig-_x', '', { name: 'present', token: '0123abcd.Sig-_x' }],
  ])('%s%s', (pathname, search, route) => {
    expect(parseRoute(pathname, search)).toEqual(route);
  });

  it.each([
    ['/meeting', ''],
    ['/meeting/a/b', ''],
    ['/organiser/%3Cscript%3E', ''],
    [`/room/${ID}`, ''],
    ['/join/%E0%A4%A', ''],
    ['/elsewhere', ''],
    ['/reports', ''],
    ['/reports/%3Cimg%20src%3Dx%3E', ''],
    ['/reports/abc/report.docx', ''],
    ['/present/%3Cscript%3E', ''],
    ['/present/abc/extra', ''],
    [`/organiser/${ID}/other`, ''],
    [`/organiser/${ID}/links/more`, ''],
    ['/organiser/%3Cscript%3E/links', ''],
  ])('%s is not a page', (pathname, search) => {
    expect(parseRoute(pathname, search)).toEqual({ name: 'not-found' });
  });

  it('ignores a code that cannot be one', () => {
    expect(parseRoute('/join', '?code=<b>')).toEqual({ name: 'join-code', code: '' });
  });

  it('round-trips the paths it builds', () => {
    expect(parseRoute(paths.meeting(ID), '')).toEqual({ name: 'meeting', meetingId: ID });
    expect(parseRoute(paths.report('AbC.dEf'), '')).toEqual({ name: 'report', token: 'AbC.dEf' });
    const url = new URL(paths.joinWithCode('K7Q2MX'), 'http://x');
    expect(parseRoute(url.pathname, url.search)).toEqual({ name: 'join-code', code: 'K7Q2MX' });
  });
});
