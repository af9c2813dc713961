import type { RatingDetail } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import type { Locale } from '../../i18n/messages';

function decimal(n: number, locale: Locale): string {
  return n.toLocaleString(locale === 'pt-BR' ? 'pt-BR' : 'en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

/** `★ 4,6 de 5 (12 avaliações)`, or that there are none yet. */
export function RatingSummary({ count, mean }: { count: number; mean?: number | null }) {
  const { t, locale } = useI18n();
  if (count === 0 || mean == null) return <span className="rating rating-none">{t('rating.none')}</span>;
  const m = decimal(mean, locale);
  return (
    <span className="rating">
      <span aria-hidden="true" className="star">★ </span>
      {count === 1 ? t('rating.summaryOne', { mean: m }) : t('rating.summary', { mean: m, count })}
    </span>
  );
}

/** How many reviews gave 5, 4, … 1 stars, as bars with their counts. */
export function RatingDistribution({ rating }: { rating: RatingDetail }) {
  const { t, locale } = useI18n();
  const max = Math.max(1, ...rating.distribution);
  const rows = [5, 4, 3, 2, 1];
  return (
    <div className="rating-detail">
      <p>
        <RatingSummary count={rating.count} mean={rating.mean} />
      </p>
      {rating.count > 0 && (
        <table className="rating-bars">
          <caption className="visually-hidden">{t('rating.distribution')}</caption>
          <tbody>
            {rows.map((stars) => {
              const n = rating.distribution[stars - 1] ?? 0;
              return (
                <tr key={stars}>
                  <th scope="row">{stars === 1 ? t('rating.rowOne') : t('rating.row', { stars })}</th>
                  <td className="rating-bar-cell" aria-hidden="true">
                    <span className="rating-bar" style={{ width: `${(n / max) * 100}%` }} />
                  </td>
                  <td className="num">{n}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <p className="muted small">
        {t('rating.ranking', { score: decimal(rating.bayesian, locale), prior: Math.round(rating.prior_count) })}
      </p>
    </div>
  );
}
