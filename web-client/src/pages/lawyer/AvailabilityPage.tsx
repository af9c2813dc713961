import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, isApiError, type AvailabilityDoc, type OwnProfile } from '../../api/client';
import { useSignedIn } from '../../auth/SessionProvider';
import { useI18n } from '../../i18n/I18nProvider';
import {
  buildAvailabilityDoc,
  copyToAllDays,
  formFromDoc,
  nextRange,
  normaliseTime,
  problemsAt,
  WEEKDAYS,
  type AvailabilityForm,
  type Problem,
  type TimeRange,
  type Weekday,
} from '../../marketplace/availability';
import { SlotPreview } from '../../marketplace/ui/SlotPicker';
import { VerificationBanner } from '../../marketplace/ui/VerificationBanner';
import { formatDay } from '../../time/days';
import { browserTimeZone } from '../../time/format';
import { errorText } from '../../ui/errors';
import { Field } from '../../ui/Field';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { useLoad } from '../../ui/useLoad';
import { LoadError } from '../../ui/LoadError';

const DAY = 86_400_000;

function ProblemText({ problems }: { problems: readonly Problem[] }) {
  const { t } = useI18n();
  if (problems.length === 0) return null;
  return (
    <>
      {problems.map((p, i) => (
        <p key={i} className="field-error">
          {t(p.key, p.vars)}
        </p>
      ))}
    </>
  );
}

/** A list of time ranges (a weekday's, or a date's special hours) with add and remove. */
function Ranges({ at, label, ranges, problems, onChange }: {
  at: string;
  label: string;
  ranges: readonly TimeRange[];
  problems: readonly Problem[];
  onChange: (r: TimeRange[]) => void;
}) {
  const { t } = useI18n();
  const idOf = (i: number, part: string) => `av-${at.replace(/\./g, '-')}-${i}-${part}`;
  const update = (i: number, patch: Partial<TimeRange>) => onChange(ranges.map((r, k) => (k === i ? { ...r, ...patch } : r)));
  return (
    <div className="ranges">
      {ranges.length === 0 && <p className="muted ranges-empty">{t('availability.closed')}</p>}
      {ranges.map((r, i) => {
        const here = problemsAt(problems, `${at}.${i}`);
        const name = t('availability.range', { day: label, n: i + 1 });
        return (
          <div key={i} className={here.length ? 'range field-invalid' : 'range'}>
            <label className="visually-hidden" htmlFor={idOf(i, 'start')}>
              {`${name}: ${t('availability.start')}`}
            </label>
            <input
              id={idOf(i, 'start')}
              type="text"
              inputMode="numeric"
              autoComplete="off"
              placeholder="00:00"
              maxLength={5}
              className="time-input"
              value={r.start}
              onChange={(e) => update(i, { start: e.target.value })}
              onBlur={(e) => update(i, { start: normaliseTime(e.target.value) })}
              aria-invalid={here.length ? true : undefined}
            />
            <span aria-hidden="true">–</span>
            <label className="visually-hidden" htmlFor={idOf(i, 'end')}>
              {`${name}: ${t('availability.end')}`}
            </label>
            <input
              id={idOf(i, 'end')}
              type="text"
              inputMode="numeric"
              autoComplete="off"
              placeholder="00:00"
              maxLength={5}
              className="time-input"
              value={r.end}
              onChange={(e) => update(i, { end: e.target.value })}
              onBlur={(e) => update(i, { end: normaliseTime(e.target.value) })}
              aria-invalid={here.length ? true : undefined}
            />
            <button type="button" className="button button-small button-quiet" onClick={() => onChange(ranges.filter((_, k) => k !== i))}>
              {t('availability.removeRange')}
              <span className="visually-hidden"> {name}</span>
            </button>
            <div className="range-problems">
              <ProblemText problems={here} />
            </div>
          </div>
        );
      })}
      <button type="button" className="button button-small" onClick={() => onChange([...ranges, nextRange(ranges)])}>
        {t('availability.addRange')}
        <span className="visually-hidden"> ({label})</span>
      </button>
    </div>
  );
}

function WeekEditor({ form, problems, onChange }: { form: AvailabilityForm; problems: readonly Problem[]; onChange: (f: AvailabilityForm) => void }) {
  const { t } = useI18n();
  return (
    <div className="week">
      {WEEKDAYS.map((d: Weekday) => {
        const label = t(`weekday.${d}`);
        return (
          <div key={d} className="week-row" role="group" aria-label={label}>
            <div className="week-day">
              <span className="week-day-name">{label}</span>
              {form.weekly[d].length > 0 && (
                <button type="button" className="button button-small button-quiet" onClick={() => onChange(copyToAllDays(form, d))}>
                  {t('availability.copyToAll')}
                  <span className="visually-hidden"> ({label})</span>
                </button>
              )}
            </div>
            <Ranges
              at={`weekly.${d}`}
              label={label}
              ranges={form.weekly[d]}
              problems={problems}
              onChange={(r) => onChange({ ...form, weekly: { ...form.weekly, [d]: r } })}
            />
          </div>
        );
      })}
    </div>
  );
}

function OverridesEditor({ form, problems, onChange }: { form: AvailabilityForm; problems: readonly Problem[]; onChange: (f: AvailabilityForm) => void }) {
  const { t, locale } = useI18n();
  const set = (i: number, patch: Partial<AvailabilityForm['overrides'][number]>) =>
    onChange({ ...form, overrides: form.overrides.map((o, k) => (k === i ? { ...o, ...patch } : o)) });
  return (
    <div className="overrides">
      {form.overrides.length === 0 && <p className="muted">{t('availability.overrides.empty')}</p>}
      {form.overrides.map((o, i) => {
        const here = problemsAt(problems, `overrides.${i}`);
        const label = o.date || t('availability.date');
        return (
          <div key={i} className="override">
            <div className="override-head">
              <Field
                id={`av-override-${i}-date`}
                label={t('availability.date')}
                hint={/^\d{4}-\d{2}-\d{2}$/.test(o.date) ? formatDay(o.date, locale, 'full') : undefined}
                error={here[0] ? t(here[0].key, here[0].vars) : undefined}
              >
                <input type="date" value={o.date} onChange={(e) => set(i, { date: e.target.value })} />
              </Field>
              <div className="override-kind" role="radiogroup" aria-label={t('availability.overrideKind', { date: label })}>
                <label className="check">
                  <input type="radio" name={`av-override-${i}-kind`} checked={o.dayOff} onChange={() => set(i, { dayOff: true })} />
                  <span>{t('availability.dayOff')}</span>
                </label>
                <label className="check">
                  <input
                    type="radio"
                    name={`av-override-${i}-kind`}
                    checked={!o.dayOff}
                    onChange={() => set(i, { dayOff: false, hours: o.hours.length ? o.hours : [nextRange([])] })}
                  />
                  <span>{t('availability.specialHours')}</span>
                </label>
              </div>
              <button type="button" className="button button-small button-danger-outline" onClick={() => onChange({ ...form, overrides: form.overrides.filter((_, k) => k !== i) })}>
                {t('availability.removeOverride')}
                <span className="visually-hidden"> {label}</span>
              </button>
            </div>
            {!o.dayOff && <Ranges at={`overrides.${i}.hours`} label={label} ranges={o.hours} problems={problems} onChange={(hours) => set(i, { hours })} />}
          </div>
        );
      })}
      <button type="button" className="button button-small" onClick={() => onChange({ ...form, overrides: [...form.overrides, { date: '', dayOff: true, hours: [] }] })}>
        {t('availability.addOverride')}
      </button>
    </div>
  );
}

const RULES = [
  ['bufferBefore', 'availability.bufferBefore', 'availability.buffer.hint'],
  ['bufferAfter', 'availability.bufferAfter', 'availability.buffer.hint'],
  ['minNotice', 'availability.minNotice', 'availability.minNotice.hint'],
  ['bookingWindow', 'availability.bookingWindow', 'availability.bookingWindow.hint'],
  ['maxPerDay', 'availability.maxPerDay', 'availability.maxPerDay.hint'],
] as const;

function Preview({ lawyerId, listed, version }: { lawyerId: string; listed: boolean; version: number }) {
  const { t } = useI18n();
  const preview = useLoad(async () => {
    if (!listed) return null; // only verified lawyers have public slots
    const now = Date.now();
    try {
      return await api.lawyerSlots(lawyerId, { from: new Date(now).toISOString(), to: new Date(now + 7 * DAY).toISOString() });
    } catch (e) {
      if (isApiError(e, 'not_found')) return null; // not listed (not verified) yet
      throw e;
    }
  }, [lawyerId, listed, version]);
  return (
    <section className="card" aria-labelledby="av-preview">
      <h2 id="av-preview">{t('availability.preview')}</h2>
      {preview.error !== null && <p className="alert alert-error">{errorText(t, preview.error)}</p>}
      {preview.loading && <Loading />}
      {!preview.loading && preview.error === null && preview.data === null && <p className="muted">{t('availability.preview.notListed')}</p>}
      {!preview.loading && preview.data && (
        <>
          <p className="muted small">{t('availability.preview.hint', { zone: browserTimeZone() })}</p>
          {preview.data.slots.length === 0 ? (
            <p className="muted">{t('availability.preview.none')}</p>
          ) : (
            <SlotPreview slots={preview.data.slots} lawyerZone={preview.data.time_zone} days={7} perDay={10} />
          )}
        </>
      )}
    </section>
  );
}

function AvailabilityEditor({ doc, profile }: { doc: AvailabilityDoc; profile: OwnProfile }) {
  const { t } = useI18n();
  const { user } = useSignedIn();
  const [form, setFormState] = useState<AvailabilityForm>(() => formFromDoc(doc));
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [version, setVersion] = useState(0);

  const setForm = (f: AvailabilityForm) => {
    setFormState(f);
    setSaved(false);
  };

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setFailure(null);
    const built = buildAvailabilityDoc(form);
    if (!built.ok) {
      setProblems(built.problems);
      setSaved(false);
      document.getElementById('av-summary')?.focus();
      return;
    }
    setProblems([]);
    setBusy(true);
    try {
      const stored = await api.saveAvailability(built.doc);
      setFormState(formFromDoc(stored));
      setSaved(true);
      setVersion((v) => v + 1);
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  }

  const rule = (at: string) => problemsAt(problems, at)[0];
  return (
    <>
      <form className="availability" onSubmit={onSubmit} noValidate>
        {problems.length > 0 && (
          <p id="av-summary" className="alert alert-error" role="alert" tabIndex={-1}>
            {t('availability.fix', { count: problems.length })}
          </p>
        )}
        {failure !== null && (
          <p className="alert alert-error" role="alert">
            {errorText(t, failure)}
            {isApiError(failure) && <span className="muted small"> ({failure.message})</span>}
          </p>
        )}
        <section className="card" aria-labelledby="av-weekly">
          <h2 id="av-weekly">{t('availability.weekly')}</h2>
          <p className="field-hint">{t('availability.weekly.hint', { zone: profile.time_zone })}</p>
          <WeekEditor form={form} problems={problems} onChange={setForm} />
        </section>
        <section className="card" aria-labelledby="av-overrides">
          <h2 id="av-overrides">{t('availability.overrides')}</h2>
          <p className="field-hint">{t('availability.overrides.hint')}</p>
          <OverridesEditor form={form} problems={problems} onChange={setForm} />
        </section>
        <section className="card" aria-labelledby="av-rules">
          <h2 id="av-rules">{t('availability.rules')}</h2>
          <div className="rules-grid">
            {RULES.map(([k, label, hint]) => {
              const p = rule(k);
              return (
                <Field key={k} id={`av-${k}`} label={t(label)} hint={t(hint)} error={p ? t(p.key, p.vars) : undefined}>
                  <input type="number" inputMode="numeric" min={0} value={form[k]} onChange={(e) => setForm({ ...form, [k]: e.target.value })} />
                </Field>
              );
            })}
          </div>
        </section>
        <div role="status" className="status-line">
          {saved && <p className="alert alert-ok">{t('availability.saved')}</p>}
        </div>
        <div className="form-actions sticky-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? t('availability.saving') : t('availability.save')}
          </button>
        </div>
      </form>
      <Preview lawyerId={user.id} listed={profile.verification_status === 'verified'} version={version} />
    </>
  );
}

export function AvailabilityPage() {
  const { t } = useI18n();
  const loaded = useLoad(async () => {
    const [profile, availability] = await Promise.all([api.myProfile(), api.myAvailability()]);
    return { profile, availability };
  }, []);
  const d = loaded.data;
  return (
    <>
      <PageHeader title={t('section.lawyer.availability')}>
        <p className="lead">{t('section.lawyer.availability.desc')}</p>
      </PageHeader>
      {loaded.error !== null && <LoadError error={loaded.error} retry={loaded.reload} />}
      {!d && loaded.error === null && <Loading />}
      {d && (!d.profile || !d.availability) && (
        <div className="card">
          <p>{t('availability.noProfile')}</p>
          <Link className="button button-primary" to="/lawyer/profile">
            {t('availability.toProfile')}
          </Link>
        </div>
      )}
      {d && d.profile && d.availability && (
        <>
          {d.profile.verification_status !== 'verified' && <VerificationBanner profile={d.profile} />}
          <AvailabilityEditor doc={d.availability} profile={d.profile} />
        </>
      )}
    </>
  );
}
