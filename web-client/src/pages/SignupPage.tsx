import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { SELF_SERVICE_ROLES } from '../api/client';
import { useSession } from '../auth/SessionProvider';
import {
  PASSWORD_MIN,
  hasErrors,
  validateSignup,
  type FieldErrors,
  type SignupForm,
} from '../forms/validation';
import { useI18n } from '../i18n/I18nProvider';
import { errorText } from '../ui/errors';
import { Field } from '../ui/Field';
import { PageHeader } from '../ui/PageHeader';
import { useInviteVisit } from '../referrals/useInviteVisit';
import { visitToSend } from '../referrals/visit';
import { rememberInvite } from './invite';

type SignupField = keyof SignupForm;

export function SignupPage() {
  const { t } = useI18n();
  const { register } = useSession();
  const [params] = useSearchParams();
  // Kept for this browser session (a detour through the login page keeps it).
  const [invite] = useState(() => rememberInvite(params.get('invite')));
  const inviteVisit = useInviteVisit(invite);
  const visit = inviteVisit.status === 'ok' || inviteVisit.status === 'invalid' ? inviteVisit.visit : null;
  const [form, setForm] = useState<SignupForm>({ email: '', password: '', displayName: '', role: '' });
  // An invite for lawyers or clients picks that role, unless one was chosen already.
  const invitedKind = visit?.kind;
  useEffect(() => {
    if (invitedKind === 'client' || invitedKind === 'lawyer') {
      setForm((f) => (f.role === '' ? { ...f, role: invitedKind === 'lawyer' ? 'LAWYER' : 'CLIENT' } : f));
    }
  }, [invitedKind]);
  const [errors, setErrors] = useState<FieldErrors<SignupField>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const set = <K extends SignupField>(k: K, v: SignupForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const fieldError = (f: SignupField) => errors[f] && t(errors[f].key, errors[f].vars);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const found = validateSignup(form);
    setErrors(found);
    setFailure(null);
    if (hasErrors(found) || form.role === '') {
      const first = Object.keys(found)[0];
      document.getElementById(first === 'role' ? 'signup-role-CLIENT' : `signup-${first}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      await register({
        email: form.email.trim(),
        password: form.password,
        display_name: form.displayName.trim(),
        role: form.role,
        invite_visit: visit ? visitToSend(visit, new Date()) : null,
      });
    } catch (err) {
      setFailure(errorText(t, err));
      setBusy(false);
    }
  }

  const loginLink = params.toString() ? `/login?${params.toString()}` : '/login';
  const roleError = fieldError('role');

  return (
    <section className="card auth-card">
      <PageHeader title={t('auth.signup.title')} />
      <div role="status" className="status-line">
        {visit && (
          <p className="alert alert-ok invited">
            <strong>{t('signup.invitedBy', { name: visit.partnerName })}</strong>
            <br />
            <span className="small">{t('signup.invitedHint')}</span>
          </p>
        )}
        {inviteVisit.status === 'invalid' && <p className="alert alert-info">{t('signup.inviteInvalid')}</p>}
      </div>
      {failure && (
        <p className="alert alert-error" role="alert">
          {failure}
        </p>
      )}
      <form noValidate onSubmit={onSubmit}>
        <fieldset
          className={roleError ? 'role-choice field-invalid' : 'role-choice'}
          aria-describedby={roleError ? 'signup-role-error' : undefined}
        >
          <legend>{t('field.role')}</legend>
          {SELF_SERVICE_ROLES.map((role) => (
            <label key={role} className="role-option" htmlFor={`signup-role-${role}`}>
              <input
                type="radio"
                id={`signup-role-${role}`}
                name="role"
                value={role}
                checked={form.role === role}
                onChange={() => set('role', role)}
              />
              <span>
                <strong>{t(`role.${role}`)}</strong>
                <span className="role-option-desc">{t(`role.${role}.choice`)}</span>
              </span>
            </label>
          ))}
          {roleError && (
            <p className="field-error" id="signup-role-error">
              {roleError}
            </p>
          )}
        </fieldset>
        <Field id="signup-displayName" label={t('field.displayName')} hint={t('field.displayName.hint')} error={fieldError('displayName')}>
          <input
            type="text"
            autoComplete="name"
            value={form.displayName}
            onChange={(e) => set('displayName', e.target.value)}
            required
          />
        </Field>
        <Field id="signup-email" label={t('field.email')} error={fieldError('email')}>
          <input
            type="email"
            autoComplete="email"
            inputMode="email"
            value={form.email}
            onChange={(e) => set('email', e.target.value)}
            required
          />
        </Field>
        <Field
          id="signup-password"
          label={t('field.password')}
          hint={t('field.password.hint', { min: PASSWORD_MIN })}
          error={fieldError('password')}
        >
          <input
            type="password"
            autoComplete="new-password"
            value={form.password}
            onChange={(e) => set('password', e.target.value)}
            minLength={PASSWORD_MIN}
            required
          />
        </Field>
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          {busy ? t('auth.signup.submitting') : t('auth.signup.submit')}
        </button>
      </form>
      <p className="auth-switch">
        {t('auth.signup.haveAccount')} <Link to={loginLink}>{t('auth.signup.toLogin')}</Link>
      </p>
    </section>
  );
}
