import { useState, type FormEvent } from 'react';
import type { LedgerEntry, Period, Totals } from '../api/client';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { formatBRL } from '../marketplace/money';
import { formatInstant } from '../time/format';
import { Field } from '../ui/Field';
import { defaultDates, periodFromDates, scaleBars, totalsRows, type PeriodProblem } from './report';

export interface PickedPeriod extends Period {
  fromDate: string;
  toDate: string;
}

/** The period as picked (dates) and as sent (instants); starts with the last 30 days. */
export function usePeriod(): [PickedPeriod, (p: PickedPeriod) => void] {
  const [period, setPeriod] = useState<PickedPeriod>(() => {
    const d = defaultDates(new Date());
    const p = periodFromDates(d.from, d.to);
    return 'problem' in p ? { fromDate: d.from, toDate: d.to } : { ...p, fromDate: d.from, toDate: d.to };
  });
  return [period, setPeriod];
}

/** Two dates (both included) and a button; tells what is wrong next to them. */
export function PeriodPicker({ id, value, onChange }: { id: string; value: PickedPeriod; onChange: (p: PickedPeriod) => void }) {
  const { t } = useI18n();
  const [from, setFrom] = useState(value.fromDate);
  const [to, setTo] = useState(value.toDate);
  const [problem, setProblem] = useState<PeriodProblem | null>(null);
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const p = periodFromDates(from, to);
    if ('problem' in p) {
      setProblem(p.problem);
      return;
    }
    setProblem(null);
    onChange({ ...p, fromDate: from, toDate: to });
  }
  const error = problem ? t(`period.${problem}` as MessageKey) : undefined;
  return (
    <form className="filters card period-picker" onSubmit={onSubmit} noValidate aria-label={t('period.legend')}>
      <Field id={`${id}-from`} label={t('period.from')} error={error}>
        <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
      </Field>
      <Field id={`${id}-to`} label={t('period.to')}>
        <input type="date" value={to} onChange={(e) => setTo(e.target.value)} required />
      </Field>
      <div className="filters-actions">
        <button type="submit" className="button button-primary">
          {t('period.apply')}
        </button>
      </div>
    </form>
  );
}

const TOTAL_LABEL = {
  pending: 'statement.total.pending',
  approved: 'statement.total.approved',
  in_payout: 'statement.total.in_payout',
  paid: 'statement.total.paid',
  net: 'statement.total.net',
} as const;

/** The period's totals by state, the net last and stressed. */
export function TotalsGrid({ totals, title }: { totals: Totals; title: string }) {
  const { t, locale } = useI18n();
  return (
    <section className="stats" aria-label={title}>
      <dl className="stat-grid">
        {totalsRows(totals).map((r) => (
          <div key={r.key} className={r.key === 'net' ? 'stat stat-strong' : 'stat'}>
            <dt>{t(TOTAL_LABEL[r.key])}</dt>
            <dd>{formatBRL(r.cents, locale)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** Counters (numbers) as a definition list of cards. */
export function CountGrid({ items, title }: { items: { label: string; value: number }[]; title: string }) {
  const { locale } = useI18n();
  return (
    <section className="stats" aria-label={title}>
      <dl className="stat-grid">
        {items.map((i) => (
          <div key={i.label} className="stat">
            <dt>{i.label}</dt>
            <dd>{i.value.toLocaleString(locale)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** Horizontal bars (inline SVG, no library) with their amounts; the figures are also in text. */
export function MoneyBars({ title, bars }: { title: string; bars: { label: string; cents: number }[] }) {
  const { t, locale } = useI18n();
  const WIDTH = 100; // percent of the track
  const lengths = scaleBars(bars.map((b) => b.cents), WIDTH);
  const list = bars.map((b) => `${b.label} ${formatBRL(b.cents, locale)}`).join('; ');
  return (
    <figure className="card chart">
      <figcaption>
        <h2>{title}</h2>
      </figcaption>
      <ul className="chart-bars" aria-label={t('report.chartDesc', { list })}>
        {bars.map((b, i) => (
          <li key={b.label}>
            <span className="chart-label">{b.label}</span>
            <svg className="chart-track" viewBox={`0 0 ${WIDTH} 10`} preserveAspectRatio="none" aria-hidden="true" focusable="false">
              <rect x="0" y="0" width={WIDTH} height="10" className="chart-bg" />
              <rect x="0" y="0" width={lengths[i]} height="10" className={`chart-bar chart-bar-${i}`} />
            </svg>
            <span className="chart-value">{formatBRL(b.cents, locale)}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}

const KIND_LABEL: Record<string, MessageKey> = {
  earned: 'entry.kind.earned',
  reversal: 'entry.kind.reversal',
  adjustment: 'entry.kind.adjustment',
};

/** The ledger's entries for a period. */
export function EntriesTable({ entries, title }: { entries: LedgerEntry[]; title: string }) {
  const { t, locale } = useI18n();
  return (
    <div className="table-wrap" role="region" aria-label={title} tabIndex={0}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('statement.col.date')}</th>
            <th scope="col">{t('statement.col.kind')}</th>
            <th scope="col">{t('statement.col.memo')}</th>
            <th scope="col">{t('statement.col.state')}</th>
            <th scope="col">{t('statement.col.available')}</th>
            <th scope="col" className="num">
              {t('statement.col.amount')}
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td className="nowrap">
                <time dateTime={e.created_at}>{formatInstant(e.created_at, locale)}</time>
              </td>
              <td>{KIND_LABEL[e.kind] ? t(KIND_LABEL[e.kind]!) : e.kind}</td>
              <td>{e.memo}</td>
              <td>
                <EntryStateTag state={e.state} />
              </td>
              <td className="nowrap">
                <time dateTime={e.available_at}>{formatInstant(e.available_at, locale)}</time>
              </td>
              <td className="num nowrap">{formatBRL(e.amount_cents, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function EntryStateTag({ state }: { state: string }) {
  const { t } = useI18n();
  const key = TOTAL_LABEL[state as keyof typeof TOTAL_LABEL];
  const cls = state === 'paid' ? 'tag tag-ok' : state === 'approved' || state === 'in_payout' ? 'tag tag-info' : 'tag tag-neutral';
  return <span className={cls}>{key ? t(key) : state}</span>;
}
