import { useI18n } from '../../i18n/I18nProvider';
import { utcOffset } from '../../time/days';
import { TIME_ZONES, timeZoneLabel } from '../catalog';

/** Brazil's zones first, then some abroad; each with its name and current UTC offset. */
export function TimeZoneSelect({ value, onChange, ...rest }: { value: string; onChange: (zone: string) => void } & Record<string, unknown>) {
  const { t } = useI18n();
  const zones: string[] = [...TIME_ZONES];
  if (value && !zones.includes(value)) zones.unshift(value); // a zone saved from elsewhere stays choosable
  const now = new Date();
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)} {...rest}>
      {zones.map((z) => {
        const label = timeZoneLabel(z);
        return (
          <option key={z} value={z}>
            {label ? `${t(label)} · ${utcOffset(z, now)}` : `${z} · ${utcOffset(z, now)}`}
          </option>
        );
      })}
    </select>
  );
}
