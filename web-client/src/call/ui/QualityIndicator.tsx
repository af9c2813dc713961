import { useI18n } from '../../i18n/I18nProvider';
import type { Quality, QualitySample } from '../quality';

const BARS: Record<Quality, number> = { good: 3, fair: 2, poor: 1, unknown: 0 };

/** Three bars and a word, with the measurements for whoever wants them. */
export function QualityIndicator({ quality, sample }: { quality: Quality; sample: QualitySample | null }) {
  const { t, locale } = useI18n();
  const n = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const details =
    sample && quality !== 'unknown'
      ? t('call.quality.details', {
          rtt: sample.rttMs === null ? '–' : Math.round(sample.rttMs),
          loss: sample.loss === null ? '–' : n.format(sample.loss * 100),
          kbps: sample.availableOutgoingKbps === null ? '–' : Math.round(sample.availableOutgoingKbps),
        })
      : '';
  return (
    <span className={`quality quality-${quality}`} title={details || undefined}>
      <span className="quality-bars" aria-hidden="true">
        {[1, 2, 3].map((i) => (
          <span key={i} className={i <= BARS[quality] ? 'on' : ''} />
        ))}
      </span>
      <span className="quality-label">{t(`call.quality.${quality}`)}</span>
      {details && <span className="visually-hidden">. {details}</span>}
    </span>
  );
}
