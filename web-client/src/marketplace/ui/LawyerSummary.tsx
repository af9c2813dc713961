import { Link } from 'react-router';
import type { LawyerCard } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { browserTimeZone, formatInstant } from '../../time/format';
import { areaLabel, languageName } from '../catalog';
import { PriceBreakdown } from './PriceBreakdown';
import { RatingSummary } from './Rating';

/** Areas of practice as tags. */
export function AreaTags({ areas }: { areas: readonly string[] }) {
  const { t } = useI18n();
  return (
    <ul className="area-tags" aria-label={t('lawyer.areas')}>
      {areas.map((a) => (
        <li key={a} className="tag tag-area">
          {t(areaLabel(a))}
        </li>
      ))}
    </ul>
  );
}

export function languageList(languages: readonly string[], locale: 'pt-BR' | 'en'): string {
  return languages.map((l) => languageName(l, locale)).join(', ');
}

/** A directory result: who, what, how much, how rated, and when free next. */
export function LawyerResult({ lawyer }: { lawyer: LawyerCard }) {
  const { t, locale } = useI18n();
  const headingId = `lawyer-${lawyer.id}`;
  return (
    <article className="card lawyer-card" aria-labelledby={headingId}>
      <div className="lawyer-card-main">
        <h2 id={headingId} className="lawyer-name">
          <Link to={`/client/lawyers/${lawyer.id}`}>{lawyer.display_name}</Link>
        </h2>
        <p className="muted lawyer-oab">{t('lawyer.oab', { uf: lawyer.oab_state, number: lawyer.oab_number })}</p>
        <p>
          <RatingSummary count={lawyer.rating.count} mean={lawyer.rating.mean} />
        </p>
        <AreaTags areas={lawyer.areas} />
        <p className="small">
          <span className="muted">{t('lawyer.languages')}: </span>
          {languageList(lawyer.languages, locale)}
        </p>
        <p className="small next-slot">
          {lawyer.next_slot
            ? t('lawyer.nextSlot', { when: formatInstant(lawyer.next_slot, locale, browserTimeZone()) })
            : t('lawyer.noSlot')}
        </p>
      </div>
      <div className="lawyer-card-side">
        <PriceBreakdown
          feeCents={lawyer.fee_cents}
          serviceFeeCents={lawyer.service_fee_cents}
          totalCents={lawyer.total_cents}
          minutes={lawyer.consultation_minutes}
        />
        <Link
          className="button button-primary button-block"
          to={`/client/lawyers/${lawyer.id}`}
          aria-label={`${t('directory.viewProfile')}: ${lawyer.display_name}`}
        >
          {t('directory.viewProfile')}
        </Link>
      </div>
    </article>
  );
}
