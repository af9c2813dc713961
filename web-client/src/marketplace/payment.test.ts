import { describe, expect, it } from 'vitest';
import { hasReceipt, nextPoll, paymentView, POLL, resumableCheckout, scheduleFailure, unbooked, type PaymentView } from './payment';

const now = new Date('2026-11-21T12:00:00Z');
const base = {
  status: 'pending',
  session_id: null as string | null,
  checkout_url: 'https://checkout.stripe.com/c/pay/cs_test_1' as string | null,
  checkout_expires_at: '2026-11-21T13:00:00Z' as string | null,
  refunded_cents: 0,
};
const view = (patch: Partial<typeof base>, ctx: Partial<{ returnedFromCheckout: boolean; polls: number }> = {}): PaymentView =>
  paymentView({ ...base, ...patch }, { returnedFromCheckout: false, polls: 0, now, ...ctx });

describe('paymentView', () => {
  it('waits for the webhook right after checkout, then says it is slow', () => {
    expect(view({}, { returnedFromCheckout: true, polls: 0 })).toEqual({ kind: 'confirming' });
    expect(view({}, { returnedFromCheckout: true, polls: POLL.pendingMax - 1 })).toEqual({ kind: 'confirming' });
    expect(view({}, { returnedFromCheckout: true, polls: POLL.pendingMax })).toEqual({
      kind: 'confirmation_slow',
      resumeUrl: base.checkout_url,
    });
  });

  it('offers to resume an open checkout, but not an expired one', () => {
    expect(view({})).toEqual({ kind: 'awaiting_payment', resumeUrl: base.checkout_url });
    expect(view({ checkout_expires_at: '2026-11-21T11:59:59Z' })).toEqual({ kind: 'awaiting_payment', resumeUrl: null });
    expect(view({ checkout_url: null })).toEqual({ kind: 'awaiting_payment', resumeUrl: null });
  });

  it('offers the slot picker once paid and not booked, and the session once booked', () => {
    expect(view({ status: 'paid' })).toEqual({ kind: 'choose_slot' });
    expect(view({ status: 'paid' }, { returnedFromCheckout: true, polls: 3 })).toEqual({ kind: 'choose_slot' });
    expect(view({ status: 'paid', session_id: 's1' })).toEqual({ kind: 'booked', sessionId: 's1' });
  });

  it('names the other outcomes', () => {
    expect(view({ status: 'processing' })).toEqual({ kind: 'processing' });
    expect(view({ status: 'failed' })).toEqual({ kind: 'failed' });
    expect(view({ status: 'expired' })).toEqual({ kind: 'expired' });
    expect(view({ status: 'refunded', session_id: 's1', refunded_cents: 22000 })).toEqual({
      kind: 'refunded',
      sessionId: 's1',
      refundedCents: 22000,
    });
    expect(view({ status: 'disputed' })).toEqual({ kind: 'unknown', status: 'disputed' });
  });

  it('never offers to resume a checkout that is no longer pending', () => {
    expect(resumableCheckout({ ...base, status: 'paid' }, now)).toBeNull();
  });
});

describe('nextPoll', () => {
  it('asks every second while pending, boundedly', () => {
    expect(nextPoll('pending', 0)).toBe(1000);
    expect(nextPoll('pending', POLL.pendingMax - 1)).toBe(1000);
    expect(nextPoll('pending', POLL.pendingMax)).toBeNull();
  });
  it('asks slowly while a Boleto or Pix settles, and stops on anything final', () => {
    expect(nextPoll('processing', 10)).toBe(5000);
    expect(nextPoll('processing', POLL.processingMax)).toBeNull();
    for (const s of ['paid', 'failed', 'expired', 'refunded']) expect(nextPoll(s, 0)).toBeNull();
  });
});

describe('receipts and schedule refusals', () => {
  it('has a receipt only where money moved', () => {
    expect(hasReceipt({ status: 'paid', paid_at: '2026-11-21T12:00:00Z' })).toBe(true);
    expect(hasReceipt({ status: 'refunded', paid_at: '2026-11-21T12:00:00Z' })).toBe(true);
    expect(hasReceipt({ status: 'pending', paid_at: null })).toBe(false);
    expect(hasReceipt({ status: 'failed', paid_at: null })).toBe(false);
  });

  it('refreshes the slots when the slot is gone, keeping the payment', () => {
    expect(scheduleFailure('slot_taken')).toMatchObject({ kind: 'slot_gone', refreshSlots: true });
    expect(scheduleFailure('slot_unavailable')).toMatchObject({ kind: 'slot_gone', refreshSlots: true });
    expect(scheduleFailure('payment_used')).toMatchObject({ kind: 'stale_payment', reloadPayment: true });
    expect(scheduleFailure('client_busy')).toEqual({ kind: 'client_busy', key: 'schedule.error.client_busy' });
    expect(scheduleFailure('server_error')).toEqual({ kind: 'other' });
  });
});

describe('unbooked', () => {
  it('finds paid payments that still have to pick a time', () => {
    const ps = [
      { id: 'a', status: 'paid', session_id: null, lawyer_id: 'l1' },
      { id: 'b', status: 'paid', session_id: 's1', lawyer_id: 'l1' },
      { id: 'c', status: 'pending', session_id: null, lawyer_id: 'l1' },
      { id: 'd', status: 'paid', session_id: null, lawyer_id: 'l2' },
      { id: 'e', status: 'refunded', session_id: null, lawyer_id: 'l1' },
    ];
    expect(unbooked(ps).map((p) => p.id)).toEqual(['a', 'd']);
    expect(unbooked(ps, 'l1').map((p) => p.id)).toEqual(['a']);
  });
});
