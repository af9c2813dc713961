import { useEffect, useState, type FormEvent } from 'react';
import { api, type Account, type CommissionRules, type Payout } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { formatBRL, parseReais } from '../../marketplace/money';
import { bpsToPercentInput, formatPercent, parsePercentToBps } from '../../referrals/rules';
import { formatInstant } from '../../time/format';
import { errorText } from '../../ui/errors';
import { Field } from '../../ui/Field';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { TextDialog } from '../../reviews/ui';
import { useLoad } from '../../ui/useLoad';
import { LoadError } from '../../ui/LoadError';

function centsToInput(cents: number, locale: 'pt-BR' | 'en'): string {
  const s = (cents / 100).toFixed(2);
  return locale === 'pt-BR' ? s.replace('.', ',') : s;
}

/** The commission rules form: % of the service fee, R$ per lawyer, hold days. */
function RulesForm() {
  const { t, locale } = useI18n();
  const rules = useLoad(() => api.commissionRules(), []);
  const [form, setForm] = useState<{ pct: string; flat: string; days: string } | null>(null);
  const [errors, setErrors] = useState<{ pct?: string; flat?: string; days?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const r = rules.data;
    if (r) setForm({ pct: bpsToPercentInput(r.client_service_fee_bps, locale), flat: centsToInput(r.lawyer_flat_cents, locale), days: String(r.hold_days) });
  }, [rules.data, locale]);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!form) return;
    const bps = parsePercentToBps(form.pct);
    const flat = parseReais(form.flat);
    const days = /^\d{1,3}$/.test(form.days.trim()) ? Number(form.days.trim()) : null;
    const found: typeof errors = {};
    if (bps === null) found.pct = t('rules.clientFeeInvalid');
    if (flat === null) found.flat = t('rules.lawyerFlatInvalid');
    if (days === null || days > 365) found.days = t('rules.holdDaysInvalid');
    setErrors(found);
    setFailure(null);
    setDone(null);
    if (found.pct || found.flat || found.days) return;
    setBusy(true);
    try {
      const saved: CommissionRules = await api.saveCommissionRules({ client_service_fee_bps: bps!, lawyer_flat_cents: flat!, hold_days: days! });
      rules.setData(saved);
      setDone(t('rules.saved'));
    } catch (err) {
      setFailure(errorText(t, err));
    }
    setBusy(false);
  }

  const r = rules.data;
  return (
    <section className="card" aria-labelledby="rules-title">
      <h2 id="rules-title">{t('rules.title')}</h2>
      {r && <p className="lead">{t('rules.summary', { pct: formatPercent(r.client_service_fee_bps, locale), flat: formatBRL(r.lawyer_flat_cents, locale), days: r.hold_days })} {t('rules.lead')}</p>}
      {rules.error !== null && <LoadError error={rules.error} retry={rules.reload} />}
      {!form && rules.error === null && <Loading />}
      {failure && (
        <p className="alert alert-error" role="alert">
          {failure}
        </p>
      )}
      {form && (
        <form noValidate onSubmit={onSubmit}>
          <div className="form-row">
            <Field id="rules-pct" label={t('rules.clientFee')} hint={t('rules.clientFeeHint')} error={errors.pct}>
              <input type="text" inputMode="decimal" value={form.pct} onChange={(e) => setForm({ ...form, pct: e.target.value })} />
            </Field>
            <Field id="rules-flat" label={t('rules.lawyerFlat')} hint={t('rules.lawyerFlatHint')} error={errors.flat}>
              <input type="text" inputMode="decimal" value={form.flat} onChange={(e) => setForm({ ...form, flat: e.target.value })} />
            </Field>
            <Field id="rules-days" label={t('rules.holdDays')} hint={t('rules.holdDaysHint')} error={errors.days}>
              <input type="text" inputMode="numeric" value={form.days} onChange={(e) => setForm({ ...form, days: e.target.value })} />
            </Field>
          </div>
          <button type="submit" className="button button-primary" disabled={busy}>
            {t('common.save')}
          </button>
        </form>
      )}
      <div role="status" className="status-line">
        {done && <p className="alert alert-ok">{done}</p>}
      </div>
    </section>
  );
}

/** "Repasses": payouts to lawyers and partners, and the commission rules. */
export function AdminPayoutsPage() {
  const { t, locale } = useI18n();
  const payouts = useLoad(() => api.payouts(), []);
  const people = useLoad(async () => {
    const [lawyers, partners] = await Promise.all([api.listUsers({ role: 'LAWYER', limit: 200 }), api.listUsers({ role: 'PARTNER', limit: 200 })]);
    return [...partners, ...lawyers] as Account[];
  }, []);
  const [beneficiary, setBeneficiary] = useState('');
  const [pickError, setPickError] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [paying, setPaying] = useState<Payout | null>(null);

  async function onCreate(e: FormEvent) {
    e.preventDefault();
    setFailure(null);
    setDone(null);
    if (!beneficiary) {
      setPickError(t('adminPayouts.beneficiaryMissing'));
      document.getElementById('payout-beneficiary')?.focus();
      return;
    }
    setBusy(true);
    try {
      const p = await api.createPayout(beneficiary);
      payouts.setData([p, ...(payouts.data ?? [])]);
      setDone(t('adminPayouts.created', { amount: formatBRL(p.amount_cents, locale), name: p.beneficiary_name }));
    } catch (err) {
      setFailure(errorText(t, err));
    }
    setBusy(false);
  }

  return (
    <>
      <PageHeader title={t('section.admin.payouts')}>
        <p className="lead">{t('adminPayouts.lead')}</p>
      </PageHeader>
      <section className="card" aria-labelledby="payout-create">
        <h2 id="payout-create">{t('adminPayouts.create')}</h2>
        {failure && (
          <p className="alert alert-error" role="alert">
            {failure}
          </p>
        )}
        {people.error !== null && <LoadError error={people.error} retry={people.reload} />}
        <form noValidate onSubmit={onCreate} className="form-row form-row-end">
          <Field id="payout-beneficiary" label={t('adminPayouts.beneficiary')} error={pickError}>
            <select value={beneficiary} onChange={(e) => { setBeneficiary(e.target.value); setPickError(undefined); }}>
              <option value="">{t('adminPayouts.beneficiaryPick')}</option>
              {(people.data ?? []).map((p) => (
                <option key={p.id} value={p.id}>
                  {p.display_name} · {t(`role.${p.role}`)} · {p.email}
                </option>
              ))}
            </select>
          </Field>
          <div>
            <button type="submit" className="button button-primary" disabled={busy}>
              {t('adminPayouts.create')}
            </button>
          </div>
        </form>
      </section>
      <div role="status" className="status-line">
        {done && <p className="alert alert-ok">{done}</p>}
      </div>
      <section aria-labelledby="payout-list" className="session-section">
        <h2 id="payout-list">{t('adminPayouts.list')}</h2>
        {payouts.error !== null && <LoadError error={payouts.error} retry={payouts.reload} />}
        {!payouts.data && payouts.error === null && <Loading />}
        {payouts.data && payouts.data.length === 0 && <p className="empty">{t('adminPayouts.empty')}</p>}
        {payouts.data && payouts.data.length > 0 && (
          <div className="table-wrap" role="region" aria-label={t('adminPayouts.list')} tabIndex={0}>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('adminPayouts.col.beneficiary')}</th>
                  <th scope="col" className="num">{t('adminPayouts.col.amount')}</th>
                  <th scope="col" className="num">{t('adminPayouts.col.entries')}</th>
                  <th scope="col">{t('adminPayouts.col.created')}</th>
                  <th scope="col">{t('adminPayouts.col.status')}</th>
                  <th scope="col">{t('adminPayouts.col.reference')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('invites.col.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {payouts.data.map((p) => (
                  <tr key={p.id}>
                    <th scope="row">{p.beneficiary_name}</th>
                    <td className="num nowrap">{formatBRL(p.amount_cents, locale)}</td>
                    <td className="num">{p.entries}</td>
                    <td className="nowrap">
                      <time dateTime={p.created_at}>{formatInstant(p.created_at, locale)}</time>
                    </td>
                    <td>
                      <span className={p.status === 'paid' ? 'tag tag-ok' : 'tag tag-info'}>{t(p.status === 'paid' ? 'adminPayouts.status.paid' : 'adminPayouts.status.created')}</span>
                    </td>
                    <td>{p.external_reference ?? t('common.none')}</td>
                    <td className="actions">
                      {p.status !== 'paid' && (
                        <button type="button" className="button button-small" onClick={() => { setDone(null); setPaying(p); }}>
                          {t('adminPayouts.markPaid')}
                          <span className="visually-hidden"> — {p.beneficiary_name}</span>
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <RulesForm />
      {paying && (
        <TextDialog
          title={t('adminPayouts.markPaidTitle', { amount: formatBRL(paying.amount_cents, locale), name: paying.beneficiary_name })}
          body={t('adminPayouts.markPaidBody')}
          label={t('adminPayouts.reference')}
          hint={t('support.subjectHint', { max: 200 })}
          max={200}
          missing={t('adminPayouts.referenceMissing')}
          submitLabel={t('adminPayouts.markPaid')}
          send={async (reference) => {
            const updated = await api.markPayoutPaid(paying.id, reference);
            payouts.setData((payouts.data ?? []).map((x) => (x.id === updated.id ? updated : x)));
            setPaying(null);
            setDone(t('adminPayouts.paid'));
          }}
          onClose={() => setPaying(null)}
        />
      )}
    </>
  );
}
