import type { Translate } from '../../i18n/messages';
import { useI18n } from '../../i18n/I18nProvider';
import type { Locale } from '../../i18n/messages';
import { formatTime, localDay } from '../../time/days';
import { browserTimeZone, formatInstant } from '../../time/format';

/** Legal Mode: what happens to this call (recorded only with both parties' consent). */
export function LegalModeNotice() {
  const { t } = useI18n();
  return (
    <div className="call-notice call-notice-legal" role="note">
      <strong>{t('call.legal.title')}.</strong> {t('call.legal.notice')}
    </div>
  );
}

/** "The room opens at 14:50" (today) or "on 21/11/2026 14:50", in the reader's zone. */
export function opensText(t: Translate, locale: Locale, opensAt: Date | string | null, now: Date = new Date()): string {
  if (opensAt === null) return t('call.room.waitingNoTime');
  const zone = browserTimeZone();
  return localDay(now, zone) === localDay(opensAt, zone)
    ? t('call.room.opensAt', { time: formatTime(opensAt, zone) })
    : t('call.room.opensOn', { when: formatInstant(opensAt, locale, zone) });
}
