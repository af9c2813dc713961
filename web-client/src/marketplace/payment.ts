// What the payment page shows and when it asks the server again, as pure functions.
// Stripe sends the browser back before its webhook has marked the payment paid, so a
// payment just back from checkout is polled (briefly) until it leaves `pending`.
import type { Payment } from '../api/client';

export type PaymentStatus = 'pending' | 'processing' | 'paid' | 'failed' | 'expired' | 'refunded';

export type PaymentView =
  /** Back from checkout; waiting for the webhook. */
  | { kind: 'confirming' }
  /** Not paid yet: checkout not finished (it can be resumed while it is open). */
  | { kind: 'awaiting_payment'; resumeUrl: string | null }
  /** Back from checkout, but the confirmation is taking longer than the polling lasts. */
  | { kind: 'confirmation_slow'; resumeUrl: string | null }
  /** Boleto or Pix: settles later. */
  | { kind: 'processing' }
  /** Paid, not booked yet: pick a slot. */
  | { kind: 'choose_slot' }
  | { kind: 'booked'; sessionId: string }
  | { kind: 'failed' }
  | { kind: 'expired' }
  | { kind: 'refunded'; sessionId: string | null; refundedCents: number }
  | { kind: 'unknown'; status: string };

export interface PaymentContext {
  /** `?checkout=success` in the address: Stripe just sent the browser back. */
  returnedFromCheckout: boolean;
  /** How many times the page has asked the server since it opened. */
  polls: number;
  now: Date;
}

/** Polling limits: every second for half a minute while pending, every 5 s for 10 min while processing. */
export const POLL = {
  pendingEveryMs: 1000,
  pendingMax: 30,
  processingEveryMs: 5000,
  processingMax: 120,
} as const;

type PaymentFacts = Pick<Payment, 'status' | 'session_id' | 'checkout_url' | 'checkout_expires_at' | 'refunded_cents'>;

/** The checkout page to go back to, while it can still be paid. */
export function resumableCheckout(p: PaymentFacts, now: Date): string | null {
  if (p.status !== 'pending' || !p.checkout_url) return null;
  if (p.checkout_expires_at && Date.parse(p.checkout_expires_at) <= now.getTime()) return null;
  return p.checkout_url;
}

export function paymentView(p: PaymentFacts, ctx: PaymentContext): PaymentView {
  switch (p.status) {
    case 'pending': {
      const resumeUrl = resumableCheckout(p, ctx.now);
      if (!ctx.returnedFromCheckout) return { kind: 'awaiting_payment', resumeUrl };
      return ctx.polls < POLL.pendingMax ? { kind: 'confirming' } : { kind: 'confirmation_slow', resumeUrl };
    }
    case 'processing':
      return { kind: 'processing' };
    case 'paid':
      return p.session_id ? { kind: 'booked', sessionId: p.session_id } : { kind: 'choose_slot' };
    case 'failed':
      return { kind: 'failed' };
    case 'expired':
      return { kind: 'expired' };
    case 'refunded':
      return { kind: 'refunded', sessionId: p.session_id ?? null, refundedCents: p.refunded_cents };
    default:
      return { kind: 'unknown', status: p.status };
  }
}

/** Milliseconds until the page should ask again, or null to stop asking. */
export function nextPoll(status: string, polls: number): number | null {
  if (status === 'pending') return polls < POLL.pendingMax ? POLL.pendingEveryMs : null;
  if (status === 'processing') return polls < POLL.processingMax ? POLL.processingEveryMs : null;
  return null;
}

/** Whether a receipt can be shown: money actually changed hands. */
export function hasReceipt(p: Pick<Payment, 'status' | 'paid_at'>): boolean {
  return p.status === 'paid' || (p.status === 'refunded' && p.paid_at != null);
}

/** Paid payments that have not booked a session yet (e.g. the slot was taken meanwhile). */
export function unbooked<P extends Pick<Payment, 'status' | 'session_id' | 'lawyer_id'>>(payments: readonly P[], lawyerId?: string): P[] {
  return payments.filter((p) => p.status === 'paid' && !p.session_id && (lawyerId === undefined || p.lawyer_id === lawyerId));
}

export function totalCents(p: Pick<Payment, 'lawyer_fee_cents' | 'service_fee_cents'>): number {
  return p.lawyer_fee_cents + p.service_fee_cents;
}

/** The schedule endpoint's refusals, and what the page should do about each. */
export type ScheduleFailure =
  | { kind: 'slot_gone'; key: 'schedule.error.slot_taken' | 'schedule.error.slot_unavailable'; refreshSlots: true }
  | { kind: 'stale_payment'; key: 'schedule.error.payment_used' | 'schedule.error.payment_not_paid'; reloadPayment: true }
  | { kind: 'client_busy'; key: 'schedule.error.client_busy' }
  | { kind: 'lawyer_unavailable'; key: 'schedule.error.lawyer_unavailable' }
  | { kind: 'other' };

export function scheduleFailure(code: string): ScheduleFailure {
  switch (code) {
    case 'slot_taken':
      return { kind: 'slot_gone', key: 'schedule.error.slot_taken', refreshSlots: true };
    case 'slot_unavailable':
      return { kind: 'slot_gone', key: 'schedule.error.slot_unavailable', refreshSlots: true };
    case 'payment_used':
      return { kind: 'stale_payment', key: 'schedule.error.payment_used', reloadPayment: true };
    case 'payment_not_paid':
      return { kind: 'stale_payment', key: 'schedule.error.payment_not_paid', reloadPayment: true };
    case 'client_busy':
      return { kind: 'client_busy', key: 'schedule.error.client_busy' };
    case 'lawyer_unavailable':
      return { kind: 'lawyer_unavailable', key: 'schedule.error.lawyer_unavailable' };
    default:
      return { kind: 'other' };
  }
}
