import { useEffect, useState } from 'react';
import { api, type Account } from '../api/client';
import { useSignedIn } from '../auth/SessionProvider';
import { useI18n } from '../i18n/I18nProvider';
import { browserTimeZone, formatInstant } from '../time/format';
import { errorText } from '../ui/errors';
import { Loading } from '../ui/Loading';
import { PageHeader } from '../ui/PageHeader';

export function AccountPage() {
  const { t, locale } = useI18n();
  const { user } = useSignedIn();
  const [account, setAccount] = useState<Account | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    api.user(user.id).then(
      (a) => live && setAccount(a),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [user.id]);

  const zone = browserTimeZone();
  return (
    <>
      <PageHeader title={t('account.title')} />
      {error !== null && (
        <p className="alert alert-error" role="alert">
          {errorText(t, error)}
        </p>
      )}
      {account === null && error === null && <Loading />}
      {account && (
        <div className="card account-card">
          <dl className="facts">
            <dt>{t('account.name')}</dt>
            <dd>{account.display_name}</dd>
            <dt>{t('account.email')}</dt>
            <dd>{account.email}</dd>
            <dt>{t('account.role')}</dt>
            <dd>{t(`role.${account.role}`)}</dd>
            <dt>{t('account.status')}</dt>
            <dd>{account.status === 'suspended' ? t('status.suspended') : t('status.active')}</dd>
            <dt>{t('account.locale')}</dt>
            <dd>{account.locale}</dd>
            <dt>{t('account.createdAt')}</dt>
            <dd>
              <time dateTime={account.created_at}>{formatInstant(account.created_at, locale)}</time>
            </dd>
            <dt>{t('account.timeZone')}</dt>
            <dd>{zone}</dd>
            <dt>{t('account.id')}</dt>
            <dd className="mono">{account.id}</dd>
          </dl>
          <p className="muted">{t('account.timeZone.note', { zone })}</p>
        </div>
      )}
    </>
  );
}
