import { useI18n } from '../i18n/I18nProvider';
import { errorText } from './errors';

/** A list or page that failed to load: what went wrong, and a way to try again. */
export function LoadError({ error, retry }: { error: unknown; retry: () => void }) {
  const { t } = useI18n();
  return (
    <div className="alert alert-error" role="alert">
      {errorText(t, error)}{' '}
      <button type="button" className="button button-small" onClick={retry}>
        {t('common.retry')}
      </button>
    </div>
  );
}
