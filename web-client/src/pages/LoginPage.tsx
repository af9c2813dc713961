import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useSession } from '../auth/SessionProvider';
import { hasErrors, validateLogin, type FieldErrors } from '../forms/validation';
import { useI18n } from '../i18n/I18nProvider';
import { errorText } from '../ui/errors';
import { Field } from '../ui/Field';
import { PageHeader } from '../ui/PageHeader';

type LoginField = 'email' | 'password';

export function LoginPage() {
  const { t } = useI18n();
  const { login, notice } = useSession();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors<LoginField>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const found = validateLogin({ email, password });
    setErrors(found);
    setFailure(null);
    if (hasErrors(found)) {
      document.getElementById(`login-${Object.keys(found)[0]}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      // On success the session changes and the route guard takes the person home.
      await login({ email: email.trim(), password });
    } catch (err) {
      setFailure(errorText(t, err));
      setBusy(false);
    }
  }

  const fieldError = (f: LoginField) => errors[f] && t(errors[f].key, errors[f].vars);
  const signupLink = params.toString() ? `/signup?${params.toString()}` : '/signup';

  return (
    <section className="card auth-card">
      <PageHeader title={t('auth.login.title')} />
      {notice && !failure && (
        <p className="notice" role="status">
          {t(notice === 'logged_out' ? 'auth.loggedOut' : 'error.unauthenticated')}
        </p>
      )}
      {failure && (
        <p className="alert alert-error" role="alert">
          {failure}
        </p>
      )}
      <form noValidate onSubmit={onSubmit}>
        <Field id="login-email" label={t('field.email')} error={fieldError('email')}>
          <input
            type="email"
            autoComplete="email"
            inputMode="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
          />
        </Field>
        <Field id="login-password" label={t('field.password')} error={fieldError('password')}>
          <input
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </Field>
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          {busy ? t('auth.login.submitting') : t('auth.login.submit')}
        </button>
      </form>
      <p className="auth-switch">
        {t('auth.login.noAccount')} <Link to={signupLink}>{t('auth.login.toSignup')}</Link>
      </p>
    </section>
  );
}
