// Each role's sections, in sidebar order. `available` is true only where the API exists;
// the others show an honest "coming soon" page.
import type { Role } from '../api/client';
import type { MessageKey } from '../i18n/messages';

export interface Section {
  path: string;
  label: MessageKey;
  description: MessageKey;
  available: boolean;
}

const section = (path: string, key: string, available = false): Section => ({
  path,
  label: `section.${key}` as MessageKey,
  description: `section.${key}.desc` as MessageKey,
  available,
});

export const ROLE_HOME: Record<Role, string> = {
  CLIENT: '/client',
  LAWYER: '/lawyer',
  PARTNER: '/partner',
  ADMIN: '/admin',
};

export const SECTIONS: Record<Role, readonly Section[]> = {
  CLIENT: [
    section('/client/lawyers', 'client.findLawyer', true),
    section('/client/consultations', 'client.consultations', true),
    section('/client/payments', 'client.payments', true),
    section('/client/contracts', 'client.contracts', true),
    section('/client/support', 'client.support', true),
  ],
  LAWYER: [
    section('/lawyer/profile', 'lawyer.profile', true),
    section('/lawyer/availability', 'lawyer.availability', true),
    section('/lawyer/consultations', 'lawyer.consultations', true),
    section('/lawyer/contracts', 'lawyer.contracts', true),
    section('/lawyer/templates', 'lawyer.templates', true),
    section('/lawyer/reviews', 'lawyer.reviews', true),
    section('/lawyer/statement', 'lawyer.statement', true),
  ],
  PARTNER: [
    section('/partner/invites', 'partner.invites', true),
    section('/partner/reports', 'partner.reports', true),
    section('/partner/payouts', 'partner.payouts', true),
  ],
  ADMIN: [
    section('/admin/users', 'admin.users', true),
    section('/admin/lawyers', 'admin.lawyerVerification', true),
    section('/admin/reviews', 'admin.reviews', true),
    section('/admin/support', 'admin.support', true),
    section('/admin/payouts', 'admin.payouts', true),
    section('/admin/contracts', 'admin.contracts', true),
    section('/admin/calls', 'admin.calls', true),
    section('/admin/audit', 'admin.audit', true),
    section('/admin/recordings', 'admin.recordings', true),
  ],
};
