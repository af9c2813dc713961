import { useEffect, useId, useMemo, useState } from 'react';
import type { Slot } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { formatDay, formatTime, groupByLocalDay } from '../../time/days';
import { browserTimeZone } from '../../time/format';
import { ZoneNote } from './ZoneNote';

const capitalise = (s: string) => s.charAt(0).toLocaleUpperCase() + s.slice(1);

interface Props {
  slots: readonly Slot[];
  lawyerZone: string;
  /** The chosen slot's start, or null. */
  value: string | null;
  onChange: (start: string) => void;
  disabled?: boolean;
}

/** Free slots grouped by day in the viewer's time zone: pick a day, then a time. */
export function SlotPicker({ slots, lawyerZone, value, onChange, disabled }: Props) {
  const { t, locale } = useI18n();
  const id = useId();
  const zone = browserTimeZone();
  const groups = useMemo(() => groupByLocalDay(slots, zone), [slots, zone]);
  const [day, setDay] = useState<string | null>(null);

  // Keep a day that still has slots; else the chosen slot's day; else the first.
  useEffect(() => {
    if (day && groups.some((g) => g.day === day)) return;
    const chosen = value ? groups.find((g) => g.items.some((s) => s.start === value)) : undefined;
    setDay((chosen ?? groups[0])?.day ?? null);
  }, [groups, day, value]);

  const current = groups.find((g) => g.day === day);
  return (
    <fieldset className="slot-picker" disabled={disabled}>
      <legend>{t('slots.legend')}</legend>
      <ZoneNote lawyerZone={lawyerZone} />
      {groups.length === 0 ? (
        <p className="empty">{t('slots.none')}</p>
      ) : (
        <>
          <div className="slot-days" role="group" aria-label={t('slots.days')}>
            {groups.map((g) => (
              <button
                key={g.day}
                type="button"
                className="slot-day"
                aria-pressed={g.day === day}
                onClick={() => setDay(g.day)}
              >
                <span className="slot-day-name">{capitalise(formatDay(g.day, locale, 'short'))}</span>
                <span className="slot-day-count">
                  {g.items.length === 1 ? t('slots.dayCountOne') : t('slots.dayCount', { count: g.items.length })}
                </span>
              </button>
            ))}
          </div>
          {current && (
            <div className="slot-times" role="radiogroup" aria-labelledby={`${id}-times`}>
              <p id={`${id}-times`} className="slot-times-title">
                {t('slots.times', { day: formatDay(current.day, locale) })}
              </p>
              <div className="slot-chips">
                {current.items.map((s) => (
                  <label key={s.start} className="slot-chip">
                    <input
                      type="radio"
                      name={`${id}-slot`}
                      value={s.start}
                      checked={value === s.start}
                      onChange={() => onChange(s.start)}
                    />
                    <span>{formatTime(s.start, zone)}</span>
                  </label>
                ))}
              </div>
            </div>
          )}
        </>
      )}
    </fieldset>
  );
}

/** A read-only look at the next free slots: the first days, a few times each. */
export function SlotPreview({ slots, lawyerZone, days = 3, perDay = 8 }: { slots: readonly Slot[]; lawyerZone: string; days?: number; perDay?: number }) {
  const { t, locale } = useI18n();
  const zone = browserTimeZone();
  const groups = groupByLocalDay(slots, zone).slice(0, days);
  return (
    <div className="slot-preview">
      <ZoneNote lawyerZone={lawyerZone} />
      <ul>
        {groups.map((g) => (
          <li key={g.day}>
            <span className="slot-preview-day">{formatDay(g.day, locale)}</span>
            <span className="slot-preview-times">
              {g.items
                .slice(0, perDay)
                .map((s) => formatTime(s.start, zone))
                .join(' · ')}
              {g.items.length > perDay && ` ${t('lawyerPage.slots.more', { count: g.items.length - perDay })}`}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
