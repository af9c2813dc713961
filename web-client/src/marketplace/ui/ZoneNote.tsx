import { useI18n } from '../../i18n/I18nProvider';
import { utcOffset } from '../../time/days';
import { browserTimeZone } from '../../time/format';

/** Which time zone the times are shown in, and the lawyer's when it differs. */
export function ZoneNote({ lawyerZone }: { lawyerZone: string }) {
  const { t } = useI18n();
  const zone = browserTimeZone();
  const offset = utcOffset(zone);
  return (
    <p className="field-hint zone-note">
      {zone === lawyerZone ? t('slots.sameZone', { zone, offset }) : t('slots.zoneNote', { zone, offset, lawyerZone })}
    </p>
  );
}
