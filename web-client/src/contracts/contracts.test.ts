import { describe, expect, it } from 'vitest';
import type { ContractDetail, ContractStatus, ContractVersion } from '../api/client';
import { actionsFor, checkTemplate, currentVersion, draftVersion, shortHash } from './contracts';

function version(number: number, sent: boolean, superseded = false): ContractVersion {
  return {
    number,
    body: 'texto',
    body_sha256: 'a'.repeat(64),
    created_at: '2026-11-01T10:00:00Z',
    sent_at: sent ? '2026-11-01T10:00:00Z' : null,
    expires_at: null,
    superseded_at: superseded ? '2026-11-02T10:00:00Z' : null,
    pdf_sha256: sent ? 'b'.repeat(64) : null,
  };
}

function detail(status: ContractStatus, versions: ContractVersion[], kind: 'fee_agreement' | 'consultation_terms' = 'fee_agreement'): ContractDetail {
  return {
    contract: {
      id: 'c1',
      kind,
      title: 'Honorários',
      status,
      lawyer_id: 'l',
      lawyer_name: 'L',
      client_id: 'c',
      client_name: 'C',
      session_id: null,
      current_version: versions.length,
      expires_at: null,
      end_reason: null,
      created_at: '2026-11-01T10:00:00Z',
      updated_at: '2026-11-01T10:00:00Z',
    },
    versions,
    answer: null,
  };
}

describe('actionsFor', () => {
  it('lets the lawyer edit and send a draft, and start a new version of a sent one', () => {
    expect(actionsFor(detail('draft', [version(1, false)]), 'LAWYER')).toEqual(['edit', 'send', 'terminate']);
    expect(actionsFor(detail('sent', [version(1, true)]), 'LAWYER')).toEqual(['newVersion', 'terminate']);
    expect(actionsFor(detail('sent', [version(1, true), version(2, false)]), 'LAWYER')).toEqual(['edit', 'send', 'terminate']);
    expect(actionsFor(detail('accepted', [version(1, true)]), 'LAWYER')).toEqual(['activate', 'terminate']);
    expect(actionsFor(detail('active', [version(1, true)]), 'LAWYER')).toEqual(['complete', 'terminate']);
  });

  it('lets the client answer only a sent contract, and end an accepted or active one', () => {
    expect(actionsFor(detail('sent', [version(1, true)]), 'CLIENT')).toEqual(['accept', 'decline']);
    expect(actionsFor(detail('accepted', [version(1, true)]), 'CLIENT')).toEqual(['terminate']);
    for (const s of ['declined', 'completed', 'terminated', 'expired'] as const) {
      expect(actionsFor(detail(s, [version(1, true)]), 'CLIENT')).toEqual([]);
      expect(actionsFor(detail(s, [version(1, true)]), 'LAWYER')).toEqual([]);
    }
  });

  it('gives admins and consultation terms no steps', () => {
    expect(actionsFor(detail('sent', [version(1, true)]), 'ADMIN')).toEqual([]);
    expect(actionsFor(detail('active', [version(1, true)], 'consultation_terms'), 'CLIENT')).toEqual([]);
    expect(actionsFor(detail('active', [version(1, true)], 'consultation_terms'), 'LAWYER')).toEqual([]);
  });
});

describe('versions', () => {
  it('finds the answerable version and the draft', () => {
    const vs = [version(1, true, true), version(2, true), version(3, false)];
    expect(currentVersion(vs)?.number).toBe(2);
    expect(draftVersion(vs)?.number).toBe(3);
    expect(currentVersion([version(1, false)])).toBeUndefined();
  });
});

describe('checkTemplate', () => {
  it('names unknown placeholders once and accepts known ones with spaces', () => {
    expect(checkTemplate('fee_agreement', 'A {{ client_name }} {{valor}} {{valor}} {{session_date}}')).toEqual({ unknown: ['valor'], unclosed: false });
  });
  it('refuses the session date in consultation terms and spots an unclosed brace', () => {
    expect(checkTemplate('consultation_terms', 'Em {{session_date}}').unknown).toEqual(['session_date']);
    expect(checkTemplate('fee_agreement', 'Olá {{client_name').unclosed).toBe(true);
  });
});

it('shortens a hash to its ends', () => {
  expect(shortHash('0123456789abcdef'.repeat(4))).toBe('01234567…89abcdef');
});
