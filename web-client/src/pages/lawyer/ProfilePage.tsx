import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, type OwnProfile } from '../../api/client';
import type { FieldErrors } from '../../forms/validation';
import { useI18n } from '../../i18n/I18nProvider';
import { areaLabel, CONSULTATION_MINUTES, DEFAULT_TIME_ZONE, languageName, LANGUAGES, PRACTICE_AREAS, TIME_ZONES, UFS } from '../../marketplace/catalog';
import { formatBRL, parseReais } from '../../marketplace/money';
import { BIO_MAX, MAX_AREAS, profileForm, validateProfile, type ProfileField, type ProfileForm } from '../../marketplace/profile';
import { TimeZoneSelect } from '../../marketplace/ui/TimeZoneSelect';
import { VerificationBanner } from '../../marketplace/ui/VerificationBanner';
import { browserTimeZone } from '../../time/format';
import { errorText } from '../../ui/errors';
import { Field } from '../../ui/Field';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { useLoad } from '../../ui/useLoad';
import { LoadError } from '../../ui/LoadError';

const FIELD_IDS: Record<ProfileField, string> = {
  oabNumber: 'p-oab',
  oabState: 'p-uf',
  areas: 'p-areas',
  languages: 'p-languages',
  fee: 'p-fee',
  minutes: 'p-minutes',
  timeZone: 'p-zone',
  bio: 'p-bio',
};

function toggle(list: readonly string[], v: string, on: boolean): string[] {
  return on ? [...list.filter((x) => x !== v), v] : list.filter((x) => x !== v);
}

/** A group of checkboxes with a legend, hint and error, announced together. */
function CheckGroup({ id, legend, hint, error, options, value, onChange }: {
  id: string;
  legend: string;
  hint?: string;
  error?: string;
  options: readonly { value: string; label: string; lang?: string }[];
  value: readonly string[];
  onChange: (v: string[]) => void;
}) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset id={id} className={error ? 'field check-group field-invalid' : 'field check-group'} aria-describedby={describedBy} tabIndex={-1}>
      <legend>{legend}</legend>
      {hint && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <div className="check-grid">
        {options.map((o) => (
          <label key={o.value} className="check">
            <input type="checkbox" checked={value.includes(o.value)} onChange={(e) => onChange(toggle(value, o.value, e.target.checked))} />
            <span lang={o.lang}>{o.label}</span>
          </label>
        ))}
      </div>
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  );
}

function ProfileEditor({ profile, onSaved }: { profile: OwnProfile | null; onSaved: (p: OwnProfile) => void }) {
  const { t, locale } = useI18n();
  const browserZone = browserTimeZone();
  const defaultZone = (TIME_ZONES as readonly string[]).includes(browserZone) ? browserZone : DEFAULT_TIME_ZONE;
  const [form, setForm] = useState<ProfileForm>(() => profileForm(profile, locale, defaultZone));
  const [errors, setErrors] = useState<FieldErrors<ProfileField>>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [saved, setSaved] = useState<'first' | 'again' | null>(null);

  const set = <K extends ProfileField>(k: K, v: ProfileForm[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    setErrors((e) => ({ ...e, [k]: undefined }));
    setSaved(null);
  };
  const err = (k: ProfileField) => (errors[k] ? t(errors[k]!.key, errors[k]!.vars) : undefined);
  const feePreview = parseReais(form.fee);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const { errors: found, request } = validateProfile(form);
    setErrors(found);
    setFailure(null);
    if (!request) {
      const first = (Object.keys(FIELD_IDS) as ProfileField[]).find((k) => found[k]);
      if (first) document.getElementById(FIELD_IDS[first])?.focus();
      return;
    }
    setBusy(true);
    try {
      const result = await api.saveProfile(request);
      setForm(profileForm(result, locale, defaultZone)); // as the server normalised it (e.g. the OAB number)
      setSaved(profile ? 'again' : 'first');
      onSaved(result);
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form-card" onSubmit={onSubmit} noValidate>
      {failure !== null && (
        <p className="alert alert-error" role="alert">
          {errorText(t, failure)}
        </p>
      )}
      <fieldset className="form-section">
        <legend className="form-section-title">{t('profile.oab')}</legend>
        <div className="field-row">
          <Field id={FIELD_IDS.oabNumber} label={t('profile.oabNumber')} hint={t('profile.oabNumber.hint')} error={err('oabNumber')}>
            <input type="text" autoComplete="off" inputMode="text" value={form.oabNumber} onChange={(e) => set('oabNumber', e.target.value)} />
          </Field>
          <Field id={FIELD_IDS.oabState} label={t('profile.oabState')} error={err('oabState')}>
            <select value={form.oabState} onChange={(e) => set('oabState', e.target.value)}>
              <option value="">{t('profile.choose')}</option>
              {UFS.map(([uf, name]) => (
                <option key={uf} value={uf}>
                  {uf} · {name}
                </option>
              ))}
            </select>
          </Field>
        </div>
        {profile && <p className="field-hint">{t('profile.oabChange')}</p>}
      </fieldset>

      <fieldset className="form-section">
        <legend className="form-section-title">{t('profile.practice')}</legend>
        <CheckGroup
          id={FIELD_IDS.areas}
          legend={t('profile.areas')}
          hint={t('profile.areas.hint', { max: MAX_AREAS })}
          error={err('areas')}
          options={PRACTICE_AREAS.map((a) => ({ value: a, label: t(areaLabel(a)) }))}
          value={form.areas}
          onChange={(v) => set('areas', v)}
        />
        <CheckGroup
          id={FIELD_IDS.languages}
          legend={t('profile.languages')}
          error={err('languages')}
          options={LANGUAGES.map((l) => ({ value: l, label: languageName(l, locale) }))}
          value={form.languages}
          onChange={(v) => set('languages', v)}
        />
      </fieldset>

      <fieldset className="form-section">
        <legend className="form-section-title">{t('profile.consultation')}</legend>
        <div className="field-row">
          <Field
            id={FIELD_IDS.fee}
            label={t('profile.fee')}
            hint={
              <>
                {feePreview !== null && form.fee.trim() !== '' && (
                  <strong className="fee-preview">{t('profile.fee.preview', { amount: formatBRL(feePreview, locale) })}. </strong>
                )}
                {t('profile.fee.hint')}
              </>
            }
            error={err('fee')}
          >
            <input type="text" inputMode="decimal" autoComplete="off" value={form.fee} onChange={(e) => set('fee', e.target.value)} />
          </Field>
          <Field id={FIELD_IDS.minutes} label={t('profile.minutes')} error={err('minutes')}>
            <select value={form.minutes} onChange={(e) => set('minutes', e.target.value)}>
              {CONSULTATION_MINUTES.map((m) => (
                <option key={m} value={String(m)}>
                  {t('profile.minutes.option', { minutes: m })}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <Field id={FIELD_IDS.timeZone} label={t('profile.timeZone')} hint={t('profile.timeZone.hint')} error={err('timeZone')}>
          <TimeZoneSelect value={form.timeZone} onChange={(z) => set('timeZone', z)} />
        </Field>
      </fieldset>

      <Field id={FIELD_IDS.bio} label={t('profile.bio')} hint={t('profile.bio.hint', { count: [...form.bio].length, max: BIO_MAX })} error={err('bio')}>
        <textarea rows={6} value={form.bio} onChange={(e) => set('bio', e.target.value)} />
      </Field>

      <div role="status" className="status-line">
        {saved && (
          <p className="alert alert-ok">
            {t('profile.saved')} {saved === 'first' && <Link to="/lawyer/availability">{t('profile.nextStep')}</Link>}
          </p>
        )}
      </div>
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? t('profile.saving') : t('profile.save')}
      </button>
    </form>
  );
}

export function LawyerOwnProfilePage() {
  const { t } = useI18n();
  const profile = useLoad(() => api.myProfile(), []);
  return (
    <>
      <PageHeader title={t('section.lawyer.profile')}>
        <p className="lead">{t('section.lawyer.profile.desc')}</p>
      </PageHeader>
      {profile.error !== null && <LoadError error={profile.error} retry={profile.reload} />}
      {profile.loading && profile.data === null && profile.error === null && <Loading />}
      {!profile.loading && profile.error === null && (
        <>
          <VerificationBanner profile={profile.data} />
          <ProfileEditor profile={profile.data} onSaved={profile.setData} />
        </>
      )}
    </>
  );
}
